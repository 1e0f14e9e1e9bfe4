using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Statistics;

public static class StatisticsEndpoints
{
    public static void MapStatistics(this WebApplication app) =>
        app.MapGet("/statistics", Get).WithTags("Statistics").RequireRoles(Need.SubtreeReaders);

    /// <summary>By round, by term, or by jurisdiction (the caller's own when none is named).</summary>
    private static async Task<IResult> Get(string? jurisdiction, Guid? termId, Guid? roundId, ClaimsPrincipal user, PlanningDb db, ReadCache cache, CancellationToken ct)
    {
        StatisticsScope scope;
        if (roundId is { } rid)
        {
            var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == rid, ct);
            if (round is null || !user.ReadsSubtree(round.JurisdictionPath)) return Problems.NotFound($"Round {rid}");
            scope = new StatisticsScope(round.Jurisdiction, DateOnly.MinValue, DateOnly.MaxValue, rid, round.TermId);
        }
        else if (termId is { } tid)
        {
            var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tid, ct);
            if (term is null || !user.ReadsSubtree(term.JurisdictionPath)) return Problems.NotFound($"Term {tid}");
            scope = new StatisticsScope(term.Jurisdiction, term.StartsOn, term.EndsOn, null, tid);
        }
        else
        {
            var id = jurisdiction ?? user.Jurisdiction();
            var j = await db.Jurisdictions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
            if (j is null || !user.ReadsSubtree(j.Path)) return Problems.NotFound($"Jurisdiction '{id}'");
            scope = new StatisticsScope(j.Id, DateOnly.MinValue, DateOnly.MaxValue, null, null);
        }
        return TypedResults.Ok(await cache.GetAsync(db, $"statistics:{scope}", () => StatisticsQuery.ForAsync(db, scope, ct), ct));
    }
}
