using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Activities;

public static class ActivityEndpoints
{
    public sealed record ScheduleActivity(
        [property: Required] ActivityKind? Kind,
        [property: Required] DateTimeOffset? ScheduledAt,
        [property: Required, MinLength(1), MaxLength(20)] List<string>? Conductors,
        [property: Required, StringLength(300, MinimumLength = 1)] string? Counterpart,
        [property: Required, StringLength(500, MinimumLength = 1)] string? Subject);

    public sealed record RecordActivity([property: Required] DateTimeOffset? HeldAt, [property: Required, StringLength(20000, MinimumLength = 2)] string? Record);

    public sealed record ActivityView(Guid Id, string Kind, string KindText, DateTimeOffset ScheduledAt, DateTimeOffset? HeldAt,
        IReadOnlyList<string> Conductors, string Counterpart, string Subject, string? Record, string RecordedBy);

    public static void MapActivities(this RouteGroupBuilder workspaces)
    {
        workspaces.MapPost("/{id:guid}/activities", Schedule);
        workspaces.MapGet("/{id:guid}/activities", List);
        workspaces.MapPost("/{id:guid}/activities/{activityId:guid}/record", Record);
    }

    private static ActivityView View(FieldActivity a) => new(a.Id, a.Kind.ToString(), a.Kind.Label(), a.ScheduledAt, a.HeldAt, a.Conductors,
        a.Counterpart, a.Subject, a.Record, a.RecordedBy);

    private static async Task<IResult> Schedule(Guid id, ScheduleActivity request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Interviews and visits are scheduled by members of the group.");
        if (!Enum.IsDefined(request.Kind!.Value)) return Problems.Invalid("kind", "Unknown activity kind.");
        var conductors = request.Conductors!.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
        if (conductors.Count == 0 || conductors.Any(c => c.Length > 100)) return Problems.Invalid("conductors", "Name who conducts it (each at most 100 characters).");
        var activity = new FieldActivity
        {
            Id = Guid.NewGuid(), WorkspaceId = id, Kind = request.Kind.Value, ScheduledAt = request.ScheduledAt!.Value.ToUniversalTime(), Conductors = conductors,
            Counterpart = request.Counterpart!.Trim(), Subject = request.Subject!.Trim(), RecordedBy = caller.DisplayName,
        };
        db.Activities.Add(activity);
        audit.Record(db, "activity.scheduled", "field-activity", activity.Id.ToString(), after: View(activity));
        await db.SaveChangesAsync(ct);
        return Results.Created($"/workspaces/{id}/activities/{activity.Id}", View(activity));
    }

    private static async Task<IResult> List(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is null) return Problems.NotFound("No workspace with that id is visible to you.");
        var items = await db.Activities.AsNoTracking().Where(a => a.WorkspaceId == id).OrderBy(a => a.ScheduledAt).ToListAsync(ct);
        return Results.Ok(items.Select(View));
    }

    private static async Task<IResult> Record(Guid id, Guid activityId, RecordActivity request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Records are kept by members of the group.");
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == activityId && a.WorkspaceId == id, ct);
        if (activity is null) return Problems.NotFound("No activity with that id is visible to you.");
        if (activity.HeldAt is not null) return Problems.Conflict("The activity is already recorded.");
        activity.HeldAt = request.HeldAt!.Value.ToUniversalTime(); // PostgreSQL timestamptz takes UTC only
        activity.Record = request.Record;
        activity.RecordedBy = caller.DisplayName;
        audit.Record(db, "activity.recorded", "field-activity", activity.Id.ToString(), after: new { activity.HeldAt });
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(activity));
    }
}
