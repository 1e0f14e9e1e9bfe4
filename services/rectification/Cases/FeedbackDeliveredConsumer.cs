using Xuncha.ServiceDefaults.Http;
using MassTransit;
using Microsoft.Extensions.Options;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Cases;

/// <summary>反馈 opens the unit's case: its problems, and the plan deadline in working days from the feedback date.</summary>
public sealed class FeedbackDeliveredConsumer(RectificationDb db, TimeProvider clock, WorkingCalendar calendar, IOptions<RectificationOptions> options, AuditTrail audit)
    : IdempotentConsumer<FeedbackDelivered, RectificationDb>(db)
{
    protected override async Task Handle(ConsumeContext<FeedbackDelivered> context)
    {
        var m = context.Message;
        var now = clock.GetUtcNow();
        var c = await CaseOpening.FindOrOpenAsync(Db, m.RoundId, m.TargetId, m.TargetName, m.Jurisdiction, m.JurisdictionPath, now, context.CancellationToken);
        if (c.FeedbackId is not null)
        {
            // A second feedback for the same round and unit (a correction) adds its new problems only.
            foreach (var p in m.Problems) CaseOpening.AddProblem(c, ProblemSource.Feedback, p.FindingId, p.Title, p.Facts, p.Suggestion, null, now);
            return;
        }
        var feedbackOn = ChinaDate.Of(m.DeliveredAt);
        c.FeedbackId = m.FeedbackId;
        c.FeedbackOn = feedbackOn;
        c.TargetCode = m.TargetCode;
        c.TargetName = m.TargetName;
        c.Jurisdiction = m.Jurisdiction;
        c.JurisdictionPath = [.. m.JurisdictionPath];
        c.PlanDueOn = PlanDeadline.For(feedbackOn, m.PlanDueDays, options.Value, calendar);
        foreach (var p in m.Problems) CaseOpening.AddProblem(c, ProblemSource.Feedback, p.FindingId, p.Title, p.Facts, p.Suggestion, null, now);
        audit.Record(Db, "case.feedback-received", "case", c.Id.ToString(), after: new { m.FeedbackId, problems = m.Problems.Count, c.PlanDueOn }, reason: "FeedbackDelivered");
    }
}

/// <summary>The plan deadline: the feedback's own number of working days, or the office's default.</summary>
public static class PlanDeadline
{
    public static DateOnly For(DateOnly feedbackOn, int planDueDays, RectificationOptions options, WorkingCalendar calendar) =>
        calendar.AddWorkingDays(feedbackOn, planDueDays > 0 ? planDueDays : options.PlanDueWorkingDays);
}
