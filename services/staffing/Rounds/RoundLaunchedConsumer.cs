using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Planning;
using Xuncha.Staffing.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Staffing.Rounds;

/// <summary>Keeps the round planning launched, so groups can be formed for it. A repeated launch (same round id) changes nothing.</summary>
public sealed class RoundLaunchedConsumer(StaffingDb db, AuditTrail audit) : IdempotentConsumer<RoundLaunched, StaffingDb>(db)
{
    protected override async Task Handle(ConsumeContext<RoundLaunched> context)
    {
        var m = context.Message;
        if (await Db.Rounds.AnyAsync(r => r.Id == m.RoundId, context.CancellationToken))
        {
            return;
        }
        var firstPath = m.Targets.Select(t => t.JurisdictionPath).FirstOrDefault(p => p.Contains(m.Jurisdiction)) ?? [];
        var round = new Round
        {
            Id = m.RoundId,
            TermId = m.TermId,
            Jurisdiction = m.Jurisdiction,
            JurisdictionPath = firstPath.Count > 0 ? [.. firstPath.Take(firstPath.ToList().IndexOf(m.Jurisdiction) + 1)] : [m.Jurisdiction],
            Number = m.Number,
            Name = m.Name,
            StartsOn = m.StartsOn,
            EndsOn = m.EndsOn,
            GroupsNeeded = m.GroupsNeeded,
            Targets = [.. m.Targets],
            LaunchedAt = m.LaunchedAt,
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        Db.Rounds.Add(round);
        audit.Record(Db, "round.received", "round", round.Id.ToString(), after: new { round.Number, round.Name, targets = round.Targets.Count }, reason: "RoundLaunched");
    }
}
