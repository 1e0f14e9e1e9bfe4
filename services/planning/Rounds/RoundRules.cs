using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Data;
using Xuncha.Planning.Jurisdictions;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Rounds;

/// <summary>The rules a round's target list must keep: modes that fit the target, and no target in two overlapping rounds.</summary>
public static class RoundRules
{
    public sealed record Overlap(Guid TargetId, Guid RoundId, string RoundName, DateOnly StartsOn, DateOnly EndsOn);

    /// <summary>
    /// Serialises every change to round membership or round dates, so two offices cannot both pass the overlap check
    /// for the same target at once. Held until the transaction ends.
    /// </summary>
    public static Task LockMembershipAsync(PlanningDb db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73051)", ct);

    /// <summary>Other rounds whose period overlaps [from, to] and that already hold one of the targets.</summary>
    public static Task<List<Overlap>> FindOverlapsAsync(PlanningDb db, Guid roundId, DateOnly from, DateOnly to, IReadOnlyCollection<Guid> targetIds, CancellationToken ct) =>
        db.RoundTargets.AsNoTracking()
            .Where(rt => targetIds.Contains(rt.TargetId) && rt.RoundId != roundId)
            .Join(db.Rounds, rt => rt.RoundId, r => r.Id, (rt, r) => new { rt.TargetId, r.Id, r.Name, r.StartsOn, r.EndsOn })
            .Where(x => x.StartsOn <= to && from <= x.EndsOn)
            .Select(x => new Overlap(x.TargetId, x.Id, x.Name, x.StartsOn, x.EndsOn))
            .ToListAsync(ct);

    /// <summary>Why <paramref name="mode"/> does not fit this target in this round, or null when it does.</summary>
    public static string? ModeMisfit(InspectionMode mode, Target target, Round round, Jurisdiction roundJurisdiction, IReadOnlyCollection<string> staffSources, IReadOnlySet<string> knownJurisdictions)
    {
        if (mode != InspectionMode.Cross && staffSources.Count > 0) return "Only cross inspection (交叉巡察) records staff-supplying jurisdictions.";
        return mode switch
        {
            InspectionMode.TownshipWithVillages when target.Kind != TargetKind.Township =>
                "巡镇带村 is chosen for a township; its non-key villages are attached at launch.",
            InspectionMode.Cross when staffSources.Count == 0 => "Cross inspection needs the jurisdictions that supply staff.",
            InspectionMode.Cross when staffSources.FirstOrDefault(s => !knownJurisdictions.Contains(s)) is { } unknown => $"Staff source '{unknown}' is not a known jurisdiction.",
            InspectionMode.Cross when staffSources.Contains(target.County) => "Cross inspection draws staff from outside the target's own county (熟人社会).",
            InspectionMode.Escalated when round.Jurisdiction == target.County => "Escalated inspection (提级巡察) is directed by a level above the target's county.",
            InspectionMode.CityDirect when roundJurisdiction.Level != JurisdictionLevel.City => "City-direct inspection (市级直巡) belongs to a city's round.",
            InspectionMode.CountyDirect when round.Jurisdiction != target.County => "County-direct inspection (县区直巡) belongs to the target's own county's round.",
            _ => null,
        };
    }
}
