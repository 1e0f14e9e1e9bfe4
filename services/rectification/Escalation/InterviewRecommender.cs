using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Escalation;

/// <summary>
/// Recommends 约谈 when a configured situation holds: once per case and situation (the unique index backs this up when
/// two writers race), with <see cref="InterviewRecommended"/> in the same transaction.
/// </summary>
public sealed class InterviewRecommender(IOptions<RectificationOptions> options, AuditTrail audit)
{
    public bool Enabled(InterviewSituation situation) => options.Value.Interview.EnabledSituations.Contains(situation.ToString(), StringComparer.OrdinalIgnoreCase);

    public async Task<Interview?> RecommendAsync(RectificationDb db, RectificationCase c, InterviewSituation situation, string detail, Guid? taskId, DateTimeOffset now, CancellationToken ct)
    {
        if (!Enabled(situation)) return null;
        if (db.Interviews.Local.Any(i => i.CaseId == c.Id && i.Situation == situation)
            || await db.Interviews.AnyAsync(i => i.CaseId == c.Id && i.Situation == situation, ct))
        {
            return null;
        }
        var interview = new Interview { Id = Guid.CreateVersion7(), CaseId = c.Id, Situation = situation, Detail = detail, TaskId = taskId, RecommendedAt = now };
        db.Interviews.Add(interview);
        db.AddEvent(new InterviewRecommended
        {
            InterviewId = interview.Id,
            RoundId = c.RoundId,
            TargetId = c.TargetId,
            Jurisdiction = c.Jurisdiction,
            Situation = situation.ToString(),
            RecommendedAt = now,
        });
        audit.Record(db, "interview.recommended", "interview", interview.Id.ToString(), after: new { c.Id, situation, detail, taskId }, reason: detail);
        return interview;
    }
}
