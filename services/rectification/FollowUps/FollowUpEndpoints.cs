using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Contracts.Rectification;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.FollowUps;

/// <summary>回头看: the schedule per case and the recorded results; a rebound reopens the task and may call for 约谈.</summary>
public static class FollowUpEndpoints
{
    public sealed record ResultRequest(uint? Version, FollowUpOutcome? Outcome, string? Findings);

    public static void MapFollowUps(this WebApplication app)
    {
        app.MapGet("/cases/{id:guid}/follow-ups", ForCase).WithTags("FollowUps");
        app.MapPost("/follow-ups/{id:guid}/result", Record).WithTags("FollowUps").RequireRoles(CaseAccess.Supervisor);
    }

    private static async Task<IResult> ForCase(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is null) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        return TypedResults.Ok(await db.FollowUps.AsNoTracking().Where(f => f.CaseId == id).OrderBy(f => f.DueOn).ToListAsync(ct));
    }

    private static async Task<IResult> Record(Guid id, ResultRequest request, HttpContext http, RectificationDb db, TimeProvider clock, InterviewRecommender interviews, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Check(request.Version is not null, "version", "required: the version you read")
            .Check(request.Outcome is not null, "outcome", $"required: {string.Join(", ", Enum.GetNames<FollowUpOutcome>())}")
            .Text("findings", request.Findings, 4000);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var followUp = await db.FollowUps.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (followUp is null || await db.VisibleCaseAsync(http.User, followUp.CaseId, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound($"No follow-up {id} that you may see.");
        if (followUp.Outcome is not null) return Problems.Conflict("This follow-up already has a result.");
        db.Entry(followUp).Property(f => f.Version).OriginalValue = request.Version!.Value;
        var now = clock.GetUtcNow();
        followUp.Outcome = request.Outcome;
        followUp.Findings = request.Findings!.Trim();
        followUp.RecordedAt = now;
        followUp.RecordedBy = http.User.Subject();
        var task = followUp.TaskId is { } taskId ? await db.Tasks.FirstAsync(t => t.Id == taskId, ct) : null;
        if (request.Outcome == FollowUpOutcome.Rebounded)
        {
            if (task is { Status: LedgerStatus.Closed })
            {
                task.Status = LedgerStatus.InProgress;
                task.Rebounded = true;
                task.ClosedAt = null;
                task.ScannedOn = null;
                db.AddEvent(new RectificationTaskReopened
                {
                    TaskId = task.Id, RoundId = c.RoundId, TargetId = c.TargetId, Jurisdiction = c.Jurisdiction, Reason = RectificationTaskReopened.Rebound, ReopenedAt = now,
                });
            }
            await interviews.RecommendAsync(db, c, InterviewSituation.ReboundAfterClosure, $"回头看发现问题反弹：{followUp.Findings}", task?.Id, now, ct);
        }
        else if (task is not null && FollowUpSchedule.Next(task, followUp) is { } next)
        {
            db.FollowUps.Add(next);
        }
        audit.Record(db, "follow-up.recorded", "follow-up", id.ToString(), null, new { followUp.Outcome, followUp.Findings }, "回头看结果");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(followUp);
    }
}
