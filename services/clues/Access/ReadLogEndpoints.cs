using Xuncha.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Data;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Access;

/// <summary>The commission supervises who read which clue, when and from where (reads and refused attempts alike).</summary>
public static class ReadLogEndpoints
{
    public sealed record ClueRead(Guid ClueId, string Action, string Actor, string? ActorName, DateTimeOffset At, string? ClientAddress, string? TraceId);

    public static void MapReadLog(this WebApplication app) =>
        app.MapGet("/clues/reads", List).WithTags("查阅记录").RequireRoles(PlatformRoles.CommissionCaseOfficer);

    private static async Task<Results<Ok<List<ClueRead>>, ValidationProblem>> List(HttpContext http, CluesDb db, CancellationToken ct,
        Guid? clueId = null, DateTimeOffset? since = null, int limit = 200)
    {
        if (new FieldErrors().Check(limit is >= 1 and <= 1000, "limit", "Must be between 1 and 1000.").Problem is { } invalid) return invalid;
        var mine = http.User.Jurisdiction();
        var visible = db.Clues.Where(c => c.OwnerPath.Contains(mine) && (clueId == null || c.Id == clueId)).Select(c => c.Id.ToString());
        var query = db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == "clue" && ClueAccess.ReadActions.Contains(a.Action) && visible.Contains(a.EntityId));
        if (since is not null) query = query.Where(a => a.At >= since);
        var rows = await query.OrderByDescending(a => a.Id).Take(limit).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new ClueRead(Guid.Parse(a.EntityId), a.Action, a.Actor, a.ActorName, a.At, a.ClientAddress, a.TraceId)).ToList());
    }
}
