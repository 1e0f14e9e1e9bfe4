using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Data;

namespace Xuncha.Staffing.Rounds;

public static class RoundEndpoints
{
    public sealed record RoundSummary(Guid Id, string Jurisdiction, int Number, string Name, DateOnly StartsOn, DateOnly EndsOn, int GroupsNeeded, int Targets, int Clusters);

    public static void MapRounds(this WebApplication app)
    {
        var rounds = app.MapGroup("/rounds").WithTags("Rounds").RequireRoles(StaffingAccess.PoolRoles);
        rounds.MapGet("/", List);
        rounds.MapGet("/{id:guid}", Get);
    }

    internal static async Task<Round?> FindVisible(HttpContext http, StaffingDb db, Guid id, CancellationToken ct) =>
        await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } round && http.User.Oversees(round.JurisdictionPath) ? round : null;

    private static async Task<IResult> List(HttpContext http, StaffingDb db, CancellationToken ct)
    {
        var mine = http.User.Jurisdiction();
        var rounds = await db.Rounds.AsNoTracking().Where(r => r.JurisdictionPath.Contains(mine)).OrderByDescending(r => r.StartsOn).ToListAsync(ct);
        return TypedResults.Ok(rounds.Select(r => new RoundSummary(r.Id, r.Jurisdiction, r.Number, r.Name, r.StartsOn, r.EndsOn, r.GroupsNeeded, r.Targets.Count, r.Clusters().Count)));
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, StaffingDb db, CancellationToken ct) =>
        await FindVisible(http, db, id, ct) is { } round ? TypedResults.Ok(round) : Problems.NotFound($"No round {id} in your jurisdiction.");
}
