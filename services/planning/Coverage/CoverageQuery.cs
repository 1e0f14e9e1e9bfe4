using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Terms;

namespace Xuncha.Planning.Coverage;

public sealed record CoverageLine(string Key, string Label, int Inspected, int Total, decimal Rate, int Remaining)
{
    public static CoverageLine Of(string key, string label, int inspected, int total) =>
        new(key, label, inspected, total, Percent(inspected, total), total - inspected);

    /// <summary>Percent with one decimal, as the articles state it (896 / 1,303 = 68.8 %).</summary>
    public static decimal Percent(int inspected, int total) => total == 0 ? 0m : Math.Round(100m * inspected / total, 1, MidpointRounding.AwayFromZero);
}

public sealed record CountyCoverage(string County, string Name, CoverageLine All, IReadOnlyList<CoverageLine> Levels);

public sealed record TermCoverage(
    Guid TermId, string Term, string Jurisdiction, DateOnly StartsOn, DateOnly EndsOn, decimal Goal,
    CoverageLine Overall, IReadOnlyList<CoverageLine> Levels, CoverageLine Units, IReadOnlyList<CountyCoverage> Counties, Forecast Forecast);

/// <summary>
/// Coverage of a term: every target in the term's jurisdiction against the distinct ones that any launched round
/// (this committee's or another level's — 提级, 交叉, 市级直巡) inspected within the term's period. A target counts once.
/// </summary>
public static class CoverageQuery
{
    private sealed record Cell(string County, string Kind, int Total, int Inspected);

    private sealed record Pace(int Rounds, int RoundTargets);

    public static async Task<TermCoverage> ForTermAsync(PlanningDb db, Term term, DateOnly asOf, CancellationToken ct)
    {
        var statuses = RoundLifecycle.InspectingNames;
        var path = new[] { term.Jurisdiction };
        var cells = await db.Database.SqlQueryRaw<Cell>("""
            WITH inspected AS (
                SELECT DISTINCT rt.target_id FROM round_targets rt JOIN rounds r ON r.id = rt.round_id
                WHERE r.status = ANY({0}) AND r.starts_on <= {1} AND r.ends_on >= {2})
            SELECT t.county AS "County", t.kind AS "Kind", count(*)::int AS "Total", count(i.target_id)::int AS "Inspected"
            FROM targets t LEFT JOIN inspected i ON i.target_id = t.id
            WHERE t.jurisdiction_path @> {3}
            GROUP BY t.county, t.kind
            """, statuses, term.EndsOn, term.StartsOn, path).ToListAsync(ct);
        // The pace so far: launched rounds up to asOf and how many of their targets lie in the term's jurisdiction.
        var pace = await db.Database.SqlQueryRaw<Pace>("""
            SELECT count(DISTINCT r.id)::int AS "Rounds", count(*)::int AS "RoundTargets"
            FROM round_targets rt JOIN rounds r ON r.id = rt.round_id JOIN targets t ON t.id = rt.target_id
            WHERE r.status = ANY({0}) AND r.starts_on <= {1} AND r.ends_on >= {2} AND r.starts_on <= {4} AND t.jurisdiction_path @> {3}
            """, statuses, term.EndsOn, term.StartsOn, path, asOf).SingleAsync(ct);
        var names = await db.Jurisdictions.AsNoTracking().Where(j => j.Path.Contains(term.Jurisdiction)).ToDictionaryAsync(j => j.Id, j => j.Name, ct);
        return Assemble(term, asOf, [.. cells.Select(c => (c.County, Enum.Parse<TargetKind>(c.Kind), c.Total, c.Inspected))], pace.Rounds, pace.RoundTargets, names);
    }

    /// <summary>Builds the figures from per-(county, kind) counts; kept apart from the SQL so the benchmark's naive path shares it.</summary>
    public static TermCoverage Assemble(Term term, DateOnly asOf, IReadOnlyList<(string County, TargetKind Kind, int Total, int Inspected)> cells,
        int rounds, int roundTargets, IReadOnlyDictionary<string, string> names)
    {
        CoverageLine Line(TargetKind kind, IEnumerable<(string County, TargetKind Kind, int Total, int Inspected)> of)
        {
            var mine = of.Where(c => c.Kind == kind).ToList();
            return CoverageLine.Of(Codes.Of(kind), Codes.Label(kind), mine.Sum(c => c.Inspected), mine.Sum(c => c.Total));
        }
        var kinds = Enum.GetValues<TargetKind>();
        var levels = kinds.Select(k => Line(k, cells)).ToList();
        var units = cells.Where(c => c.Kind != TargetKind.Village).ToList();
        var overall = CoverageLine.Of("all", "全部", cells.Sum(c => c.Inspected), cells.Sum(c => c.Total));
        var counties = cells.GroupBy(c => c.County).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CountyCoverage(
            g.Key, names.GetValueOrDefault(g.Key, g.Key), CoverageLine.Of("all", "全部", g.Sum(c => c.Inspected), g.Sum(c => c.Total)),
            [.. kinds.Select(k => Line(k, g))])).ToList();
        var forecast = Forecast.Make(term.StartsOn, term.EndsOn, asOf, overall.Total, overall.Inspected, rounds, roundTargets, term.CoverageGoal);
        return new TermCoverage(term.Id, term.Name, term.Jurisdiction, term.StartsOn, term.EndsOn, term.CoverageGoal, overall, levels,
            CoverageLine.Of("units", "县直单位和乡镇", units.Sum(c => c.Inspected), units.Sum(c => c.Total)), counties, forecast);
    }

    /// <summary>The targets of the term's jurisdiction not yet inspected in the term, one page at a time.</summary>
    public static IQueryable<Target> Remaining(PlanningDb db, Term term)
    {
        var statuses = RoundLifecycle.Inspecting;
        var inspected = db.RoundTargets.Join(db.Rounds, rt => rt.RoundId, r => r.Id, (rt, r) => new { rt.TargetId, r.Status, r.StartsOn, r.EndsOn })
            .Where(x => statuses.Contains(x.Status) && x.StartsOn <= term.EndsOn && x.EndsOn >= term.StartsOn).Select(x => x.TargetId);
        return db.Targets.AsNoTracking().Where(t => t.JurisdictionPath.Contains(term.Jurisdiction) && !inspected.Contains(t.Id));
    }
}
