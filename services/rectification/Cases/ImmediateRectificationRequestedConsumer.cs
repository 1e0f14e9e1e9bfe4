using MassTransit;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Cases;

/// <summary>立行立改 items join the unit's case (opening it if fieldwork is still running) with their own deadline.</summary>
public sealed class ImmediateRectificationRequestedConsumer(RectificationDb db, TimeProvider clock, AuditTrail audit)
    : IdempotentConsumer<ImmediateRectificationRequested, RectificationDb>(db)
{
    protected override async Task Handle(ConsumeContext<ImmediateRectificationRequested> context)
    {
        var m = context.Message;
        var now = clock.GetUtcNow();
        var c = await CaseOpening.FindOrOpenAsync(Db, m.RoundId, m.TargetId, m.TargetName, m.Jurisdiction, m.JurisdictionPath, now, context.CancellationToken);
        if (CaseOpening.AddProblem(c, ProblemSource.ImmediateRectification, m.ItemId, m.Problem, m.Problem, "立行立改", m.DueOn, now))
        {
            audit.Record(Db, "case.immediate-item-joined", "case", c.Id.ToString(), after: new { m.ItemId, m.DueOn }, reason: "ImmediateRectificationRequested");
        }
    }
}
