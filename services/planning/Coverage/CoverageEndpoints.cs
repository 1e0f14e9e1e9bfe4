using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Coverage;

public static class CoverageEndpoints
{
    public static void MapCoverage(this WebApplication app)
    {
        var group = app.MapGroup("/terms/{id:guid}").WithTags("Coverage").RequireRoles(Need.SubtreeReaders);
        group.MapGet("/coverage", Coverage);
        group.MapGet("/forecast", async (Guid id, DateOnly? asOf, ClaimsPrincipal user, PlanningDb db, ReadCache cache, TimeProvider clock, CancellationToken ct) =>
            await Coverage(id, asOf, user, db, cache, clock, ct) is Ok<TermCoverage> ok ? TypedResults.Ok(ok.Value!.Forecast) : Problems.NotFound($"Term {id}") as IResult);
        group.MapGet("/coverage/remaining", Remaining);
    }

    private static async Task<IResult> Coverage(Guid id, DateOnly? asOf, ClaimsPrincipal user, PlanningDb db, ReadCache cache, TimeProvider clock, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (term is null || !user.ReadsSubtree(term.JurisdictionPath)) return Problems.NotFound($"Term {id}");
        var day = asOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(await cache.GetAsync(db, $"coverage:{id}:{day:yyyy-MM-dd}", () => CoverageQuery.ForTermAsync(db, term, day, ct), ct));
    }

    private static async Task<IResult> Remaining(Guid id, string? kind, string? county, int? page, int? pageSize, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (term is null || !user.ReadsSubtree(term.JurisdictionPath)) return Problems.NotFound($"Term {id}");
        if (page is < 1) return Problems.Invalid("page", "Pages start at 1.");
        if (pageSize is < 1 or > 1000) return Problems.Invalid("pageSize", "Between 1 and 1000.");
        var query = CoverageQuery.Remaining(db, term);
        if (kind is not null)
        {
            if (!Codes.TryParse<TargetKind>(kind, out var k)) return Problems.Invalid("kind", $"One of {Codes.Known<TargetKind>()}.");
            query = query.Where(t => t.Kind == k);
        }
        if (!string.IsNullOrEmpty(county)) query = query.Where(t => t.County == county);
        var size = pageSize ?? 100;
        var number = page ?? 1;
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(t => t.Code).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new TargetEndpoints.PageOf<TargetEndpoints.TargetView>(total, number, size, [.. items.Select(TargetEndpoints.TargetView.Of)]));
    }
}
