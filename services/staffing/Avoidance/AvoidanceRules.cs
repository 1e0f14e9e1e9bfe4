using Xuncha.Contracts.Planning;
using Xuncha.Staffing.Cadres;

namespace Xuncha.Staffing.Avoidance;

/// <summary>What an avoidance rule looks at: one cadre, one target, the round it belongs to, the round's policy.</summary>
public sealed record AvoidanceCase(Cadre Cadre, RoundTarget Target, int RoundNumber, string RoundJurisdiction, DateOnly RoundStartsOn, StaffingPolicy Policy);

/// <summary>A named avoidance rule (回避规则): pure, returns the reason the cadre must not inspect the target, or null.</summary>
public sealed record AvoidanceRule(string Name, string Title, Func<AvoidanceCase, string?> Check)
{
    /// <summary>
    /// A quota rule does not bar the cadre outright: it marks them as local to a cross-inspection target, and the
    /// group may take locals up to the policy's share.
    /// </summary>
    public bool IsQuota { get; init; }

    /// <summary>A pool-wide rule bars the cadre from every target of the round (reported once, not per group).</summary>
    public bool PoolWide { get; init; }
}

public static class AvoidanceRules
{
    public static readonly AvoidanceRule CurrentUnit = new("current-unit", "现工作单位回避", c =>
        Concerns(c.Cadre.CurrentUnitCode, c.Target) is { } how
            ? $"现工作单位 {Label(c.Cadre.CurrentUnitName, c.Cadre.CurrentUnitCode)} {how}"
            : null);

    public static readonly AvoidanceRule FormerUnit = new("former-unit", "原工作单位回避", c =>
    {
        var since = c.RoundStartsOn.AddYears(-c.Policy.FormerUnitYears);
        var unit = c.Cadre.FormerUnits.FirstOrDefault(u => u.To >= since && Concerns(u.UnitCode, c.Target) is not null);
        return unit is null ? null
            : $"曾于 {unit.From:yyyy-MM}至{unit.To:yyyy-MM} 在 {Label(unit.UnitName, unit.UnitCode)} 工作（{c.Policy.FormerUnitYears}年内），{Concerns(unit.UnitCode, c.Target)}";
    });

    public static readonly AvoidanceRule Relative = new("relative", "亲属回避", c =>
    {
        var relative = c.Cadre.Relatives.FirstOrDefault(r => WorksIn(r.UnitCode, c.Target));
        return relative is null ? null : $"{relative.Relation}{relative.Name} 在被巡察单位 {Label(relative.UnitName, relative.UnitCode)} 工作";
    });

    public static readonly AvoidanceRule HomeCounty = new("home-county", "交叉巡察本地回避", c =>
        IsCross(c.Target) && c.Cadre.HomeJurisdiction == c.Target.County
            ? $"交叉巡察：干部来自被巡察地 {c.Target.County}，只能作为本地人员按比例入组"
            : null) { IsQuota = true };

    public static readonly AvoidanceRule StaffSource = new("staff-source", "交叉巡察抽调范围", c =>
        IsCross(c.Target) && c.Target.StaffSourceJurisdictions.Count > 0 && c.Cadre.HomeJurisdiction != c.Target.County
            && !c.Target.StaffSourceJurisdictions.Any(s => c.Cadre.JurisdictionPath.Contains(s))
            ? $"交叉巡察只从 {string.Join("、", c.Target.StaffSourceJurisdictions)} 抽调，干部来自 {c.Cadre.HomeJurisdiction}"
            : null);

    public static readonly AvoidanceRule PreviousRound = new("previous-round", "连续巡察同一单位回避", c =>
        c.Cadre.Services.FirstOrDefault(s => s.Jurisdiction == c.RoundJurisdiction && s.RoundNumber == c.RoundNumber - 1 && s.TargetCodes.Contains(c.Target.Code))
            is { } s ? $"上一轮（第{s.RoundNumber}轮）已巡察 {c.Target.Name}" : null);

    public static readonly AvoidanceRule TownshipCadre = new("township-cadre", "不从乡镇抽调干部", c =>
        c.Cadre.IsTownshipLevel && c.Cadre.Employment == Employment.Seconded
            ? $"乡镇干部（{Label(c.Cadre.CurrentUnitName, c.Cadre.CurrentUnitCode)}）不得抽调参加巡察"
            : null) { PoolWide = true };

    public static readonly AvoidanceRule Rotation = new("rotation", "连续抽调轮次上限", c =>
    {
        var consecutive = ConsecutiveRoundsBefore(c.Cadre, c.RoundJurisdiction, c.RoundNumber);
        return consecutive >= c.Policy.MaxConsecutiveRounds
            ? $"已连续抽调 {consecutive} 轮（上限 {c.Policy.MaxConsecutiveRounds} 轮），本轮应轮换"
            : null;
    }) { PoolWide = true };

    public static readonly IReadOnlyList<AvoidanceRule> All = [CurrentUnit, FormerUnit, Relative, HomeCounty, StaffSource, PreviousRound, TownshipCadre, Rotation];

    /// <summary>Every enabled rule that bars or marks the cadre for the target, with its reason.</summary>
    public static IEnumerable<(AvoidanceRule Rule, string Reason)> Screen(AvoidanceCase c, bool targetSpecificOnly = false)
    {
        foreach (var rule in All)
        {
            if ((!targetSpecificOnly || !rule.PoolWide) && c.Policy.IsEnabled(rule.Name) && rule.Check(c) is { } reason)
            {
                yield return (rule, reason);
            }
        }
    }

    /// <summary>Rounds served back to back up to the one before <paramref name="roundNumber"/>, in that jurisdiction.</summary>
    public static int ConsecutiveRoundsBefore(Cadre cadre, string jurisdiction, int roundNumber)
    {
        var served = cadre.Services.Where(s => s.Jurisdiction == jurisdiction).Select(s => s.RoundNumber).ToHashSet();
        var count = 0;
        while (served.Contains(roundNumber - 1 - count)) count++;
        return count;
    }

    private static bool IsCross(RoundTarget target) => target.Mode == "cross";

    /// <summary>How a unit stands to the target: it is the target, the target's parent, or lies within the target.</summary>
    private static string? Concerns(string unitCode, RoundTarget target) =>
        unitCode.Length == 0 ? null
        : unitCode == target.Code ? "即被巡察单位"
        : unitCode == target.ParentCode ? "是被巡察单位的上级"
        : IsWithin(unitCode, target.Code) ? "隶属被巡察单位"
        : null;

    private static bool WorksIn(string unitCode, RoundTarget target) =>
        unitCode.Length > 0 && (unitCode == target.Code || IsWithin(unitCode, target.Code));

    // Unit codes are hierarchical ("<township>-v07" lies within "<township>"), so a unit inside the target is found by prefix.
    private static bool IsWithin(string unitCode, string targetCode) =>
        targetCode.Length > 0 && unitCode.StartsWith(targetCode + "-", StringComparison.Ordinal);

    private static string Label(string name, string code) => name.Length > 0 ? $"{name}（{code}）" : code;
}
