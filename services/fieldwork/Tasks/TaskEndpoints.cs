using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Tasks;

public static class TaskEndpoints
{
    public sealed record AddTask(
        [property: Required] TaskCadence? Cadence,
        [property: Required, StringLength(300, MinimumLength = 2)] string? Title,
        [property: Required, StringLength(100, MinimumLength = 1)] string? Assignee,
        [property: Required] DateOnly? DueOn);

    public sealed record CompleteTask([property: StringLength(2000)] string? Outcome);

    public sealed record CarryTaskOver([property: Required, StringLength(1000, MinimumLength = 2)] string? Reason, [property: Required] DateOnly? NewDueOn);

    public sealed record TaskView(Guid Id, string Cadence, string CadenceText, string Title, string Assignee, DateOnly DueOn, string State,
        string StateText, DateTimeOffset? CompletedAt, string? Outcome, IReadOnlyList<CarryOver> CarryOvers, uint Version);

    public sealed record TaskSummary(DateOnly? On, int Total, int Done, int Open, int CarriedOver, IReadOnlyList<TaskView> Items);

    public static void MapTasks(this RouteGroupBuilder workspaces)
    {
        workspaces.MapPost("/{id:guid}/tasks", Add);
        workspaces.MapGet("/{id:guid}/tasks", List);
        workspaces.MapPost("/{id:guid}/tasks/{taskId:guid}/complete", Complete);
        workspaces.MapPost("/{id:guid}/tasks/{taskId:guid}/carry-over", Carry);
    }

    private static TaskView View(TaskItem t) => new(t.Id, t.Cadence.ToString(), t.Cadence.Label(), t.Title, t.Assignee, t.DueOn, t.State.ToString(),
        t.State.Label(), t.CompletedAt, t.Outcome, t.CarryOvers, t.Version);

    private static async Task<IResult> Add(Guid id, AddTask request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Task lists are kept by members of the group.");
        if (!Enum.IsDefined(request.Cadence!.Value)) return Problems.Invalid("cadence", "Unknown cadence.");
        var task = new TaskItem
        {
            Id = Guid.NewGuid(), WorkspaceId = id, Cadence = request.Cadence.Value, Title = request.Title!.Trim(), Assignee = request.Assignee!.Trim(),
            DueOn = request.DueOn!.Value, State = TaskState.Open,
        };
        db.Tasks.Add(task);
        audit.Record(db, "task.added", "task", task.Id.ToString(), after: View(task));
        await db.SaveChangesAsync(ct);
        return Results.Created($"/workspaces/{id}/tasks/{task.Id}", View(task));
    }

    /// <summary>The list for a day (?on=) or all; carried-over items show on their new date with their history.</summary>
    private static async Task<IResult> List(Guid id, DateOnly? on, TaskCadence? cadence, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is null) return Problems.NotFound("No workspace with that id is visible to you.");
        var query = db.Tasks.AsNoTracking().Where(t => t.WorkspaceId == id);
        if (on is { } day) query = query.Where(t => t.DueOn == day);
        if (cadence is { } c) query = query.Where(t => t.Cadence == c);
        var items = await query.OrderBy(t => t.DueOn).ThenBy(t => t.Title).ToListAsync(ct);
        return Results.Ok(new TaskSummary(on, items.Count, items.Count(t => t.State == TaskState.Done), items.Count(t => t.State == TaskState.Open),
            items.Count(t => t.CarryOvers.Count > 0), [.. items.Select(View)]));
    }

    private static async Task<IResult> Complete(Guid id, Guid taskId, CompleteTask request, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Task lists are kept by members of the group.");
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.WorkspaceId == id, ct);
        if (task is null) return Problems.NotFound("No task with that id is visible to you.");
        if (task.State == TaskState.Done) return Problems.Conflict("The task is already done.");
        task.State = TaskState.Done;
        task.CompletedAt = clock.GetUtcNow();
        task.Outcome = request.Outcome;
        audit.Record(db, "task.completed", "task", task.Id.ToString(), after: new { task.Outcome });
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(task));
    }

    private static async Task<IResult> Carry(Guid id, Guid taskId, CarryTaskOver request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Task lists are kept by members of the group.");
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.WorkspaceId == id, ct);
        if (task is null) return Problems.NotFound("No task with that id is visible to you.");
        if (task.State == TaskState.Done) return Problems.Conflict("A done task is not carried over.");
        if (request.NewDueOn <= task.DueOn)
            return RuleProblems.Rule("顺延日期无效", "The new date must be after the current due date.", new Dictionary<string, string[]> { ["newDueOn"] = [$"Must be after {task.DueOn:yyyy-MM-dd}."] });
        task.CarryOvers = [.. task.CarryOvers, new CarryOver { From = task.DueOn, To = request.NewDueOn!.Value, Reason = request.Reason!.Trim(), By = caller.DisplayName }];
        task.DueOn = request.NewDueOn.Value;
        audit.Record(db, "task.carried-over", "task", task.Id.ToString(), after: new { task.DueOn }, reason: request.Reason);
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(task));
    }
}
