using Xuncha.Contracts.Planning;
using Xuncha.Staffing.Cadres;

namespace Xuncha.Staffing.Tests.Infrastructure;

public sealed record CheckedSeat(Guid CadreId, string Role, Guid? MentorId);

public sealed record CheckedGroup(IReadOnlyList<Guid> TargetIds, IReadOnlyList<CheckedSeat> Seats);

/// <summary>
/// Checks a formed round against the hard rules from the issue, written here from the rules' text and sharing no code
/// with the service's solver or rule classes — so a proposal passes because it is right, not because the solver says so.
/// Settings are the defaults the service runs with: 5–9 members, 1–2 deputies, ≥70% non-local with ≥1 local in cross
/// inspection, experienced = ≥2 rounds, former units within 5 years, at most 2 consecutive rounds.
/// </summary>
public static class IndependentValidator
{
    private static readonly string[] Six = ["discipline", "organisation", "finance", "audit", "agriculture", "civil-affairs"];

    public static List<string> Check(IReadOnlyList<RoundTarget> targets, int roundNumber, string roundJurisdiction, DateOnly roundStart,
        IReadOnlyList<CheckedGroup> groups, IReadOnlyDictionary<Guid, Cadre> cadres)
    {
        var problems = new List<string>();
        var byId = targets.ToDictionary(t => t.TargetId);

        // Coverage: every target in exactly one group; villages with their township.
        var seen = groups.SelectMany(g => g.TargetIds).GroupBy(x => x).ToList();
        foreach (var t in targets.Where(t => seen.All(s => s.Key != t.TargetId))) problems.Add($"target {t.Code} has no group");
        foreach (var dup in seen.Where(s => s.Count() > 1)) problems.Add($"target {byId[dup.Key].Code} is in {dup.Count()} groups");
        foreach (var g in groups)
        {
            foreach (var v in g.TargetIds.Select(id => byId[id]).Where(t => t.ClusterTargetId is { } c && byId.ContainsKey(c) && !g.TargetIds.Contains(c)))
                problems.Add($"village {v.Code} is not in its township's group");
        }

        // No cadre in two groups (all periods of the round overlap).
        foreach (var twice in groups.SelectMany(g => g.Seats).GroupBy(s => s.CadreId).Where(x => x.Count() > 1))
            problems.Add($"cadre {cadres[twice.Key].Name} sits in {twice.Count()} groups");

        foreach (var g in groups)
        {
            var members = g.Seats.Select(s => (seat: s, cadre: cadres[s.CadreId])).ToList();
            var groupTargets = g.TargetIds.Select(id => byId[id]).ToList();
            var label = string.Join("+", groupTargets.Select(t => t.Code));
            var leaders = members.Where(m => m.seat.Role == "leader").ToList();
            if (leaders.Count != 1 || leaders.Any(l => l.cadre.Grade != LeadershipGrade.Leader)) problems.Add($"{label}: leader rule");
            var deputies = members.Where(m => m.seat.Role == "deputy-leader").ToList();
            if (deputies.Count is < 1 or > 2 || deputies.Any(d => d.cadre.Grade == LeadershipGrade.Member)) problems.Add($"{label}: deputies rule");
            if (members.Count is < 5 or > 9) problems.Add($"{label}: size {members.Count}");
            var specialties = members.SelectMany(m => m.cadre.Specialties).ToHashSet();
            foreach (var s in Six.Where(s => !specialties.Contains(s))) problems.Add($"{label}: 6+X lacks {s}");

            var start = groupTargets.Min(t => t.StartsOn);
            var end = groupTargets.Max(t => t.EndsOn);
            foreach (var (seat, c) in members)
            {
                foreach (var t in groupTargets)
                {
                    bool Touches(string unit) => unit == t.Code || unit == t.ParentCode || unit.StartsWith(t.Code + "-", StringComparison.Ordinal);
                    if (Touches(c.CurrentUnitCode)) problems.Add($"{label}: {c.Name} works at {c.CurrentUnitCode}");
                    if (c.FormerUnits.Any(f => f.To >= roundStart.AddYears(-5) && Touches(f.UnitCode))) problems.Add($"{label}: {c.Name} worked at a former unit");
                    if (c.Relatives.Any(r => r.UnitCode == t.Code || r.UnitCode.StartsWith(t.Code + "-", StringComparison.Ordinal))) problems.Add($"{label}: {c.Name} has a relative there");
                    if (c.Services.Any(s => s.Jurisdiction == roundJurisdiction && s.RoundNumber == roundNumber - 1 && s.TargetCodes.Contains(t.Code))) problems.Add($"{label}: {c.Name} inspected it last round");
                }
                if (c.IsTownshipLevel && c.Employment == Employment.Seconded) problems.Add($"{label}: {c.Name} is a township cadre");
                var mine = c.Services.Where(s => s.Jurisdiction == roundJurisdiction).Select(s => s.RoundNumber).ToHashSet();
                if (mine.Contains(roundNumber - 1) && mine.Contains(roundNumber - 2)) problems.Add($"{label}: {c.Name} served 2 rounds running");
                if (c.Availability.Count > 0 && !c.Availability.Any(w => w.From <= start && w.To >= end)) problems.Add($"{label}: {c.Name} unavailable");
                if (c.Services.Any(s => s.RoundNumber != roundNumber && s.StartsOn <= end && s.EndsOn >= start)) problems.Add($"{label}: {c.Name} busy elsewhere");
                if (c.Archived) problems.Add($"{label}: {c.Name} archived");
            }

            if (groupTargets.Any(t => t.Mode == "cross"))
            {
                var county = groupTargets[0].County;
                var locals = members.Count(m => m.cadre.JurisdictionPath[^1] == county);
                var nonLocalShare = (double)(members.Count - locals) / members.Count;
                if (nonLocalShare < 0.7 - 1e-9) problems.Add($"{label}: only {nonLocalShare:P0} non-local");
                if (locals < 1) problems.Add($"{label}: no local member");
            }

            // 以干代训: each newcomer has a distinct experienced mentor in the same group.
            var newcomers = members.Where(m => m.cadre.RoundsServed == 0).ToList();
            var mentors = newcomers.Select(n => n.seat.MentorId).ToList();
            if (mentors.Any(m => m is null || !members.Any(x => x.cadre.Id == m && x.cadre.RoundsServed >= 2)) || mentors.Distinct().Count() != mentors.Count)
                problems.Add($"{label}: a newcomer lacks a distinct experienced mentor");
        }
        return problems;
    }
}
