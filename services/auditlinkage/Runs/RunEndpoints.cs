using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.AuditLinkage.Runs;

public static class RunEndpoints
{
    public static void MapRuns(this IEndpointRouteBuilder app)
    {
        app.MapPost("/rounds/{roundId:guid}/targets/{targetId:guid}/comparison-runs", async (Guid roundId, Guid targetId, RunRequest? request,
            HttpContext http, RoundAccess access, ComparisonRunner runner, CancellationToken ct) =>
        {
            var (caller, target, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
            if (caller is null) return denied!;
            if (request?.Rules is { Count: > 50 }) return ApiProblems.Invalid("rules", "At most 50 rules per run.");
            return await runner.RunAsync(caller, target!, request ?? new RunRequest(null), http.User.Subject(), ct);
        });

        var runs = app.MapGroup("/rounds/{roundId:guid}/comparison-runs");
        runs.MapGet("/", async (Guid roundId, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct) =>
        {
            var (caller, denied) = await access.CheckAsync(http.User, roundId, ct);
            if (caller is null) return denied!;
            return TypedResults.Ok(await db.Runs.AsNoTracking().Where(r => r.RoundId == roundId).OrderByDescending(r => r.RanAt).ToListAsync(ct));
        });
        runs.MapGet("/{runId:guid}", async (Guid roundId, Guid runId, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct) =>
        {
            var (caller, denied) = await access.CheckAsync(http.User, roundId, ct);
            if (caller is null) return denied!;
            var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.RoundId == roundId, ct);
            return run is null ? ApiProblems.NotFound("comparison run", runId) : TypedResults.Ok(run);
        });
        runs.MapGet("/{runId:guid}/hits", async (Guid roundId, Guid runId, string? rule, int? offset, int? limit, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct) =>
        {
            var (caller, denied) = await access.CheckAsync(http.User, roundId, ct);
            if (caller is null) return denied!;
            if (await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.RoundId == roundId, ct) is not { } run)
            {
                return ApiProblems.NotFound("comparison run", runId);
            }
            if (limit is < 1 or > 500) return ApiProblems.Invalid("limit", "Between 1 and 500.");
            var hits = await db.Hits.AsNoTracking().Where(h => h.RunId == runId && (rule == null || h.RuleCode == rule))
                .OrderBy(h => h.RuleCode).ThenBy(h => h.Summary).Skip(Math.Max(offset ?? 0, 0)).Take(limit ?? 100).ToListAsync(ct);
            var evidence = await HitEvidence.ExpandAsync(db, run, hits, ct);
            return TypedResults.Ok(hits.Select((h, i) => new { h.Id, h.RuleCode, h.RuleVersion, h.Summary, h.Amount, Evidence = evidence[i] }));
        });
    }
}
