using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.FollowUps;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Ledger;

/// <summary>
/// 销号: the liaison asks for closure with evidence; the rectification supervisor approves (→ RectificationTaskClosed and
/// the 回头看 schedule) or rejects (the task reopens). A closed task found to be a false rectification reopens too
/// (→ RectificationTaskReopened).
/// </summary>
public static class ClosureEndpoints
{
    public sealed record ClosureRequest(uint? Version, string? Summary);
    public sealed record ClosureDecision(uint? Version, string? Comments);

    public static void MapClosure(this WebApplication app)
    {
        app.MapPost("/tasks/{id:guid}/closure", Request).WithTags("Ledger").RequireRoles(CaseAccess.Liaison);
        var office = app.MapGroup("/tasks/{id:guid}").WithTags("Ledger").RequireRoles(CaseAccess.Supervisor);
        office.MapPost("/closure/approve", Approve);
        office.MapPost("/closure/reject", Reject);
        office.MapPost("/false-rectification", MarkFalse);
    }

    private static async Task<IResult> Request(Guid id, ClosureRequest request, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Check(request.Version is not null, "version", "required: the task version you read").Text("summary", request.Summary, 4000);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.InProgress) return Problems.Conflict($"The task is {task.Status}; closure is requested for a task in progress.");
        if (!await db.Evidence.AnyAsync(e => e.TaskId == id, ct))
        {
            return Problems.RuleViolated("closure.evidence-required", "Attach at least one evidence file (POST /tasks/{id}/evidence) before asking for closure.", "销号须提供佐证材料");
        }
        db.Entry(task).Property(t => t.Version).OriginalValue = request.Version!.Value;
        task.Status = LedgerStatus.ClosureRequested;
        task.ClosureSummary = request.Summary!.Trim();
        audit.Record(db, "closure.requested", "task", id.ToString(), new { Status = LedgerStatus.InProgress }, new { task.Status, task.ClosureSummary }, "申请销号");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseEndpoints.TaskViewOf(task, clock.GetUtcNow(), options.Value));
    }

    private static async Task<IResult> Approve(Guid id, ClosureDecision request, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Check(request.Version is not null, "version", "required: the task version you read").Text("comments", request.Comments, 2000, required: false);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.ClosureRequested) return Problems.Conflict($"The task is {task.Status}; only a requested closure can be approved.");
        // Evidence is re-checked here: approval must never close a task whose proof is missing.
        if (!await db.Evidence.AnyAsync(e => e.TaskId == id, ct)) return Problems.RuleViolated("closure.evidence-required", "The task has no evidence.", "销号须提供佐证材料");
        db.Entry(task).Property(t => t.Version).OriginalValue = request.Version!.Value;
        var now = clock.GetUtcNow();
        task.Status = LedgerStatus.Closed;
        task.ClosedAt = now;
        task.Level = EscalationLevel.None;
        task.ReviewComments = request.Comments?.Trim();
        var followUp = FollowUpSchedule.First(task, ChinaDate.Of(now));
        // A task reopened and closed again keeps one schedule: the next sequence number after its last check.
        var lastSequence = await db.FollowUps.Where(f => f.TaskId == id).MaxAsync(f => (int?)f.Sequence, ct) ?? 0;
        db.FollowUps.Add(new FollowUp { Id = followUp.Id, CaseId = followUp.CaseId, TaskId = id, Kind = followUp.Kind, Sequence = lastSequence + 1, DueOn = followUp.DueOn });
        db.AddEvent(new RectificationTaskClosed { TaskId = id, RoundId = c.RoundId, TargetId = c.TargetId, Jurisdiction = c.Jurisdiction, ClosedAt = now });
        audit.Record(db, "closure.approved", "task", id.ToString(), new { Status = LedgerStatus.ClosureRequested }, new { task.Status, followUpDue = followUp.DueOn }, task.ReviewComments ?? "同意销号");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseEndpoints.TaskViewOf(task, now, options.Value));
    }

    private static async Task<IResult> Reject(Guid id, ClosureDecision request, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Check(request.Version is not null, "version", "required: the task version you read").Text("comments", request.Comments, 2000);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.ClosureRequested) return Problems.Conflict($"The task is {task.Status}; only a requested closure can be rejected.");
        db.Entry(task).Property(t => t.Version).OriginalValue = request.Version!.Value;
        task.Status = LedgerStatus.InProgress;
        task.ReviewComments = request.Comments!.Trim();
        task.ScannedOn = null; // back on the ladder from today's scan
        audit.Record(db, "closure.rejected", "task", id.ToString(), new { Status = LedgerStatus.ClosureRequested }, new { task.Status }, task.ReviewComments);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseEndpoints.TaskViewOf(task, clock.GetUtcNow(), options.Value));
    }

    /// <summary>虚假整改: the task reopens and, where configured, the unit's principal is recommended for an interview.</summary>
    private static async Task<IResult> MarkFalse(Guid id, ClosureDecision request, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options,
        InterviewRecommender interviews, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Check(request.Version is not null, "version", "required: the task version you read").Text("comments", request.Comments, 2000);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status is not (LedgerStatus.Closed or LedgerStatus.ClosureRequested)) return Problems.Conflict($"The task is {task.Status}; only a closed task or a requested closure can be found false.");
        db.Entry(task).Property(t => t.Version).OriginalValue = request.Version!.Value;
        var now = clock.GetUtcNow();
        var before = new { task.Status };
        task.Status = LedgerStatus.InProgress;
        task.FalseRectification = true;
        task.ClosedAt = null;
        task.ScannedOn = null;
        task.ReviewComments = request.Comments!.Trim();
        // Checks scheduled for a closure that was never real are moot.
        db.FollowUps.RemoveRange(await db.FollowUps.Where(f => f.TaskId == id && f.Outcome == null).ToListAsync(ct));
        if (before.Status == LedgerStatus.Closed)
        {
            // Only a closure that was announced (RectificationTaskClosed) is taken back; a requested one never counted.
            db.AddEvent(new RectificationTaskReopened
            {
                TaskId = id, RoundId = c.RoundId, TargetId = c.TargetId, Jurisdiction = c.Jurisdiction, Reason = RectificationTaskReopened.FalseRectification, ReopenedAt = now,
            });
        }
        await interviews.RecommendAsync(db, c, InterviewSituation.FalseRectification, $"任务“{Short(task.Measures)}”被认定为虚假整改：{task.ReviewComments}", id, now, ct);
        audit.Record(db, "task.false-rectification", "task", id.ToString(), before, new { task.Status, task.FalseRectification }, task.ReviewComments);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseEndpoints.TaskViewOf(task, now, options.Value));
    }

    internal static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
