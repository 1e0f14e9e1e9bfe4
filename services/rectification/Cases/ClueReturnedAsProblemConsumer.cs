using MassTransit;
using Xuncha.Contracts.Clues;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Cases;

/// <summary>A clue the joint assessment returned as an ordinary problem joins the unit's case (no persons, no reporter).</summary>
public sealed class ClueReturnedAsProblemConsumer(RectificationDb db, TimeProvider clock, AuditTrail audit)
    : IdempotentConsumer<ClueReturnedAsProblem, RectificationDb>(db)
{
    protected override async Task Handle(ConsumeContext<ClueReturnedAsProblem> context)
    {
        var m = context.Message;
        var now = clock.GetUtcNow();
        var c = await CaseOpening.FindOrOpenAsync(Db, m.RoundId, m.TargetId, m.TargetName, m.Jurisdiction, m.JurisdictionPath, now, context.CancellationToken);
        if (CaseOpening.AddProblem(c, ProblemSource.ReturnedClue, m.ClueId, m.Problem, m.Problem, "按一般问题整改", null, now))
        {
            audit.Record(Db, "case.returned-clue-joined", "case", c.Id.ToString(), after: new { m.ClueId }, reason: "ClueReturnedAsProblem");
        }
    }
}
