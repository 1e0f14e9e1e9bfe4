using System.Numerics;
using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing.Formation;

/// <summary>
/// The stated objective the proposal maximises (every hard rule is a constraint, never traded against it):
/// specialty fit to the kind of target, breadth of the "X" specialties, fair load, and experience spread evenly.
/// </summary>
public static class Objective
{
    public const string Statement =
        "目标函数（越大越好）= Σ各组[Σ成员(2×与被巡察对象类型对口的专业数 − 0.5×min(已参加巡察轮次,4)) + 1.5×组内专业种类数]"
        + " − 2×Σ各组|业务骨干人数 − 各组平均数|。含义：专业对口、“X”专业尽量宽、优先抽调参加轮次少的干部（负担公平）、业务骨干在各组间均衡。";

    private static readonly string[] Order = [.. Specialties.Names.Keys];

    /// <summary>What each kind of target most needs besides the six core specialties.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Preferred = new Dictionary<string, string[]>
    {
        ["village"] = [Specialties.Agriculture, Specialties.CivilAffairs, Specialties.Petitions, Specialties.Finance],
        ["township"] = [Specialties.Agriculture, Specialties.CivilAffairs, Specialties.Finance, Specialties.Organisation, Specialties.Petitions],
        ["county-department"] = [Specialties.Finance, Specialties.Audit, Specialties.Discipline, Specialties.Law, Specialties.Organisation],
    };

    public static int Mask(IEnumerable<string> specialties)
    {
        var mask = 0;
        foreach (var s in specialties)
        {
            var i = Array.IndexOf(Order, s);
            if (i >= 0) mask |= 1 << i;
        }
        return mask;
    }

    public static int PreferredMask(TargetCluster cluster) =>
        Mask(cluster.Targets.SelectMany(t => Preferred.TryGetValue(t.Kind, out var p) ? p : []));

    public static double MemberValue(int mask, int preferredMask, int roundsServed) =>
        2.0 * BitOperations.PopCount((uint)(mask & preferredMask)) - 0.5 * Math.Min(roundsServed, 4);

    public static double Breadth(int unionMask) => 1.5 * BitOperations.PopCount((uint)unionMask);

    public static double Balance(IReadOnlyList<int> experiencedPerGroup)
    {
        if (experiencedPerGroup.Count == 0) return 0;
        var mean = experiencedPerGroup.Average();
        return -2.0 * experiencedPerGroup.Sum(e => Math.Abs(e - mean));
    }

    public static double GroupValue(TargetCluster cluster, IEnumerable<Cadre> members)
    {
        var preferred = PreferredMask(cluster);
        var union = 0;
        var value = 0.0;
        foreach (var c in members)
        {
            var mask = Mask(c.Specialties);
            union |= mask;
            value += MemberValue(mask, preferred, c.RoundsServed);
        }
        return value + Breadth(union);
    }

    /// <summary>The objective of a whole assignment: used for the proposal and, identically, for any baseline it is compared with.</summary>
    public static double Evaluate(IEnumerable<(TargetCluster Cluster, IReadOnlyList<Cadre> Members)> groups, StaffingPolicy policy)
    {
        var list = groups.ToList();
        return list.Sum(g => GroupValue(g.Cluster, g.Members)) + Balance([.. list.Select(g => g.Members.Count(policy.IsExperienced))]);
    }
}
