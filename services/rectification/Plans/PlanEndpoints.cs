using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Plans;

/// <summary>整改方案: the liaison drafts tasks and submits; the rectification supervisor approves or returns with comments.</summary>
public static class PlanEndpoints
{
    public sealed record TaskRequest(Guid? ProblemId, string? Measures, string? FirstResponsible, string? Responsible, string? Liaison, DateOnly? DueOn, uint? Version);
    public sealed record PlanDecision(uint? Version, string? Comments);

    public static void MapPlans(this WebApplication app)
    {
        var unit = app.MapGroup("").WithTags("Plans").RequireRoles(CaseAccess.Liaison);
        unit.MapPost("/cases/{id:guid}/tasks", AddTask);
        unit.MapPut("/tasks/{id:guid}", EditTask);
        unit.MapDelete("/tasks/{id:guid}", DeleteTask);
        unit.MapPost("/cases/{id:guid}/plan/submit", Submit);
        var office = app.MapGroup("/cases/{id:guid}/plan").WithTags("Plans").RequireRoles(CaseAccess.Supervisor);
        office.MapPost("/approve", Approve);
        office.MapPost("/return", Return);
    }

    private static FieldErrors Validate(TaskRequest r) => new FieldErrors()
        .Check(r.ProblemId is not null && r.ProblemId != Guid.Empty, "problemId", "required")
        .Text("measures", r.Measures, 4000)
        .Text("firstResponsible", r.FirstResponsible, 100)
        .Text("responsible", r.Responsible, 100)
        .Text("liaison", r.Liaison, 100)
        .Check(r.DueOn is not null, "dueOn", "required (yyyy-MM-dd)");

    private static bool Editable(RectificationCase c) => c.FeedbackOn is not null && c.PlanStatus is PlanStatus.NotSubmitted or PlanStatus.Returned;

    private static async Task<IResult> AddTask(Guid id, TaskRequest request, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, AuditTrail audit, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (!Editable(c)) return Problems.Conflict($"The plan is {c.PlanStatus}{(c.FeedbackOn is null ? " and the feedback has not been delivered" : "")}; tasks can be drafted only before submission or after it was returned.");
        if (c.Problems.FirstOrDefault(p => p.Id == request.ProblemId) is not { } problem) return Problems.Invalid("problemId", "not a problem of this case");
        if (PlanRules.DeadlineProblem(c, problem, request.DueOn!.Value) is { } why) return Problems.RuleViolated("plan.deadline", why, "整改时限不符合要求");
        var now = clock.GetUtcNow();
        var task = new RectificationTask
        {
            Id = Guid.CreateVersion7(),
            CaseId = c.Id,
            CreatedAt = now,
            Status = LedgerStatus.Draft,
        };
        Apply(task, request, c, problem);
        db.Tasks.Add(task);
        audit.Record(db, "task.drafted", "task", task.Id.ToString(), after: Snapshot(task), reason: "整改方案起草");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/tasks/{task.Id}", CaseEndpoints.TaskViewOf(task, now, options.Value));
    }

    private static async Task<IResult> EditTask(Guid id, TaskRequest request, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, AuditTrail audit, CancellationToken ct)
    {
        var errors = Validate(request).Check(request.Version is not null, "version", "required: the version you read");
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.Draft || !Editable(c)) return Problems.Conflict("Only a draft task of an unsubmitted or returned plan can be edited.");
        if (c.Problems.FirstOrDefault(p => p.Id == request.ProblemId) is not { } problem) return Problems.Invalid("problemId", "not a problem of this case");
        if (PlanRules.DeadlineProblem(c, problem, request.DueOn!.Value) is { } why) return Problems.RuleViolated("plan.deadline", why, "整改时限不符合要求");
        db.Entry(task).Property(t => t.Version).OriginalValue = request.Version!.Value;
        var before = Snapshot(task);
        Apply(task, request, c, problem);
        audit.Record(db, "task.edited", "task", task.Id.ToString(), before, Snapshot(task), "整改方案修改");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseEndpoints.TaskViewOf(task, clock.GetUtcNow(), options.Value));
    }

    private static async Task<IResult> DeleteTask(Guid id, uint? version, HttpContext http, RectificationDb db, AuditTrail audit, CancellationToken ct)
    {
        if (version is null) return Problems.Invalid("version", "required: the version you read (?version=)");
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.Draft || !Editable(c)) return Problems.Conflict("Only a draft task of an unsubmitted or returned plan can be removed.");
        db.Entry(task).Property(t => t.Version).OriginalValue = version.Value;
        db.Tasks.Remove(task);
        audit.Record(db, "task.removed", "task", task.Id.ToString(), Snapshot(task), null, "整改方案修改");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static void Apply(RectificationTask task, TaskRequest r, RectificationCase c, CaseProblem problem)
    {
        task.ProblemId = problem.Id;
        task.Measures = r.Measures!.Trim();
        task.FirstResponsible = r.FirstResponsible!.Trim();
        task.Responsible = r.Responsible!.Trim();
        task.Liaison = r.Liaison!.Trim();
        task.DueOn = r.DueOn!.Value;
        task.Term = PlanRules.TermOf(c.FeedbackOn!.Value, task.DueOn);
    }

    private static object Snapshot(RectificationTask t) => new { t.ProblemId, t.Measures, t.FirstResponsible, t.Responsible, t.Liaison, t.DueOn, t.Term, t.Status };

    private static async Task<IResult> Submit(Guid id, PlanDecision request, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Check(request.Version is not null, "version", "required: the case version you read").Text("comments", request.Comments, 2000, required: false);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (!Editable(c)) return Problems.Conflict($"The plan is {c.PlanStatus}; it can be submitted only before submission or after it was returned.");
        var tasks = await db.Tasks.Where(t => t.CaseId == id).ToListAsync(ct);
        var uncovered = PlanRules.Uncovered(c, tasks);
        if (uncovered.Count > 0)
        {
            return Problems.RuleViolated("plan.every-problem-covered",
                $"Every problem needs at least one task; uncovered: {string.Join("；", uncovered.Select(p => p.Title))}.", "整改方案未覆盖全部问题");
        }
        db.Entry(c).Property(x => x.Version).OriginalValue = request.Version!.Value;
        var now = clock.GetUtcNow();
        var before = new { c.PlanStatus };
        c.PlanStatus = PlanStatus.Submitted;
        c.PlanSubmittedAt = now;
        c.PlanLate = c.PlanDueOn is { } due && ChinaDate.Of(now) > due;
        db.AddEvent(new RectificationPlanSubmitted
        {
            PlanId = c.Id,
            RoundId = c.RoundId,
            TargetId = c.TargetId,
            Jurisdiction = c.Jurisdiction,
            TaskCount = tasks.Count,
            Late = c.PlanLate,
            SubmittedAt = now,
        });
        audit.Record(db, "plan.submitted", "case", c.Id.ToString(), before, new { c.PlanStatus, c.PlanLate, tasks = tasks.Count }, request.Comments ?? "提交整改方案");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new { c.Id, c.PlanStatus, c.PlanLate, c.Version });
    }

    private static Task<IResult> Approve(Guid id, PlanDecision request, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct) =>
        Decide(id, request, approve: true, http, db, clock, audit, ct);

    private static Task<IResult> Return(Guid id, PlanDecision request, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct) =>
        Decide(id, request, approve: false, http, db, clock, audit, ct);

    private static async Task<IResult> Decide(Guid id, PlanDecision request, bool approve, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Check(request.Version is not null, "version", "required: the case version you read")
            .Text("comments", request.Comments, 2000, required: !approve);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (c.PlanStatus != PlanStatus.Submitted) return Problems.Conflict($"The plan is {c.PlanStatus}; only a submitted plan can be approved or returned.");
        db.Entry(c).Property(x => x.Version).OriginalValue = request.Version!.Value;
        var now = clock.GetUtcNow();
        c.PlanStatus = approve ? PlanStatus.Approved : PlanStatus.Returned;
        c.PlanComments = request.Comments?.Trim();
        if (approve)
        {
            c.PlanApprovedAt = now;
            foreach (var task in await db.Tasks.Where(t => t.CaseId == id && t.Status == LedgerStatus.Draft).ToListAsync(ct))
            {
                task.Status = LedgerStatus.InProgress;
                task.StartedAt = now;
            }
        }
        audit.Record(db, approve ? "plan.approved" : "plan.returned", "case", c.Id.ToString(), new { PlanStatus = PlanStatus.Submitted }, new { c.PlanStatus }, c.PlanComments ?? "审核通过");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new { c.Id, c.PlanStatus, c.PlanComments, c.Version });
    }
}
