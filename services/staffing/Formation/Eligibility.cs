using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing.Formation;

/// <summary>Where one cadre stands for one cluster: barred (and why), local to a cross-inspection target, or free to serve.</summary>
public sealed record Standing(IReadOnlyList<ExclusionReason> TargetReasons, IReadOnlyList<ExclusionReason> PoolReasons, bool Local)
{
    public bool Barred => PoolReasons.Count > 0 || TargetReasons.Any(r => r.Rule != AvoidanceRules.HomeCounty.Name);
}

public static class Eligibility
{
    public const string Availability = "availability";
    public const string Overlap = "overlap";
    public const string Archived = "archived";
    public const string OutsidePool = "outside-pool";

    /// <summary>
    /// Screens a cadre against every target of the cluster with the avoidance rules, and against the cluster's period
    /// (availability windows, secondments already confirmed elsewhere — except in <paramref name="ownGroup"/>).
    /// </summary>
    public static Standing Assess(Cadre cadre, TargetCluster cluster, Round round, StaffingPolicy policy, Guid? ownGroup = null)
    {
        var pool = PoolReasons(cadre, round, policy, cluster.StartsOn, cluster.EndsOn, ownGroup);
        var (target, local) = TargetReasons(cadre, cluster, round, policy);
        return new Standing(target, pool, local);
    }

    /// <summary>The target-specific avoidance reasons (unit, relative, county, previous round) for any target of the cluster.</summary>
    public static (List<ExclusionReason> Reasons, bool Local) TargetReasons(Cadre cadre, TargetCluster cluster, Round round, StaffingPolicy policy)
    {
        var target = new List<ExclusionReason>();
        var local = false;
        foreach (var t in cluster.Targets)
        {
            foreach (var (rule, reason) in AvoidanceRules.Screen(new AvoidanceCase(cadre, t, round.Number, round.Jurisdiction, round.StartsOn, policy), targetSpecificOnly: true))
            {
                if (target.Any(r => r.Rule == rule.Name))
                {
                    continue;
                }
                local |= rule.IsQuota;
                target.Add(new ExclusionReason(rule.Name, rule.Title, reason));
            }
        }
        return (target, local);
    }

    /// <summary>Reasons that bar the cadre from the whole round, whatever the target.</summary>
    public static List<ExclusionReason> PoolReasons(Cadre cadre, Round round, StaffingPolicy policy, DateOnly startsOn, DateOnly endsOn, Guid? ownGroup = null)
    {
        var reasons = new List<ExclusionReason>();
        if (cadre.Archived)
        {
            reasons.Add(new(Archived, "已移出人才库", "干部已移出人才库"));
        }
        if (!cadre.JurisdictionPath.Contains(round.Jurisdiction))
        {
            reasons.Add(new(OutsidePool, "不在本轮抽调范围", $"干部不属于 {round.Jurisdiction} 的人才库"));
        }
        foreach (var rule in AvoidanceRules.All.Where(r => r.PoolWide && policy.IsEnabled(r.Name)))
        {
            // Pool-wide rules look at the cadre and the round only; any target serves as the case's target.
            if (rule.Check(new AvoidanceCase(cadre, round.Targets.Count > 0 ? round.Targets[0] : new(), round.Number, round.Jurisdiction, round.StartsOn, policy)) is { } reason)
            {
                reasons.Add(new(rule.Name, rule.Title, reason));
            }
        }
        if (cadre.Availability.Count > 0 && !cadre.Availability.Any(w => w.From <= startsOn && w.To >= endsOn))
        {
            reasons.Add(new(Availability, "可抽调时段", $"{startsOn:yyyy-MM-dd}至{endsOn:yyyy-MM-dd} 不在干部的可抽调时段内"));
        }
        if (cadre.Services.FirstOrDefault(s => s.GroupId != ownGroup && s.StartsOn <= endsOn && s.EndsOn >= startsOn) is { } busy)
        {
            reasons.Add(new(Overlap, "时段冲突", $"已在第{busy.RoundNumber}轮巡察组任职（{busy.StartsOn:yyyy-MM-dd}至{busy.EndsOn:yyyy-MM-dd}），时段重叠"));
        }
        return reasons;
    }
}
