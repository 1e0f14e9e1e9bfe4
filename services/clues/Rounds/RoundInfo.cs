using MassTransit;
using Xuncha.Clues.Data;
using Xuncha.Contracts.Planning;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Clues.Rounds;

/// <summary>Read model of planning's rounds: which term a round belongs to, for statistics by term.</summary>
public sealed class RoundInfo
{
    public Guid RoundId { get; init; }
    public Guid TermId { get; set; }
    public required string Jurisdiction { get; set; }
    public int Number { get; set; }
    public required string Name { get; set; }
}

public sealed class RoundLaunchedConsumer(CluesDb db) : IdempotentConsumer<RoundLaunched, CluesDb>(db)
{
    protected override async Task Handle(ConsumeContext<RoundLaunched> context)
    {
        var m = context.Message;
        var round = await Db.Rounds.FindAsync([m.RoundId], context.CancellationToken);
        if (round is null)
        {
            Db.Rounds.Add(new RoundInfo { RoundId = m.RoundId, TermId = m.TermId, Jurisdiction = m.Jurisdiction, Number = m.Number, Name = m.Name });
            return;
        }
        round.TermId = m.TermId;
        round.Jurisdiction = m.Jurisdiction;
        round.Number = m.Number;
        round.Name = m.Name;
    }
}
