using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Groups;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing.Formation;

/// <summary>A seat as the rules see it: the cadre and the role they would hold.</summary>
public sealed record Seat(Cadre Cadre, string Role);

/// <summary>A cadre's seat in another group of the same round, for the overlap rule.</summary>
public sealed record RoundSeat(Guid CadreId, Guid GroupId, string GroupName, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>The hard rules of a group's composition. The proposal satisfies them; an adjustment that breaks one is refused naming it.</summary>
public static class GroupRules
{
    public const string Leader = "leader";
    public const string Deputies = "deputies";
    public const string Size = "size";
    public const string SpecialtyCoverage = "specialties-6x";
    public const string CrossMix = "cross-mix";
    public const string Mentoring = "mentoring";
    public const string Duplicate = "duplicate-member";
    public const string Role = "role";

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        [Leader] = "组长（1名，须可任组长）",
        [Deputies] = "副组长人数及资格",
        [Size] = "巡察组人数",
        [SpecialtyCoverage] = "“6+X”专业结构",
        [CrossMix] = "交叉巡察人员构成（以外地为主、配备本地人员）",
        [Mentoring] = "以干代训（新抽调干部由业务骨干带教）",
        [Duplicate] = "成员重复",
        [Role] = "角色",
        [Eligibility.Overlap] = "时段冲突",
    };

    public static List<RuleViolation> Check(IReadOnlyList<Seat> seats, TargetCluster cluster, Round round, StaffingPolicy policy,
        Guid? groupId = null, IEnumerable<RoundSeat>? otherSeatsInRound = null)
    {
        var violations = new List<RuleViolation>();
        foreach (var dup in seats.GroupBy(s => s.Cadre.Id).Where(g => g.Count() > 1))
        {
            violations.Add(new(Duplicate, $"{dup.First().Cadre.Name} 在组内出现 {dup.Count()} 次", dup.Key));
        }
        foreach (var seat in seats.Where(s => !GroupRoles.All.Contains(s.Role)))
        {
            violations.Add(new(Role, $"未知角色 '{seat.Role}'（应为 {string.Join("/", GroupRoles.All)}）", seat.Cadre.Id));
        }

        var locals = 0;
        foreach (var seat in seats)
        {
            var standing = Eligibility.Assess(seat.Cadre, cluster, round, policy, groupId);
            locals += standing.Local ? 1 : 0;
            foreach (var reason in standing.PoolReasons.Concat(standing.TargetReasons.Where(r => r.Rule != AvoidanceRules.HomeCounty.Name)))
            {
                violations.Add(new(reason.Rule, $"{seat.Cadre.Name}：{reason.Reason}", seat.Cadre.Id, cluster.Key));
            }
        }
        foreach (var other in (otherSeatsInRound ?? []).Where(o => o.GroupId != groupId && o.StartsOn <= cluster.EndsOn && o.EndsOn >= cluster.StartsOn))
        {
            if (seats.FirstOrDefault(s => s.Cadre.Id == other.CadreId) is { } seat)
            {
                violations.Add(new(Eligibility.Overlap, $"{seat.Cadre.Name} 已在 {other.GroupName} 任职，时段重叠", seat.Cadre.Id, cluster.Key));
            }
        }

        var leaders = seats.Where(s => s.Role == GroupRoles.Leader).ToList();
        if (leaders.Count != 1)
        {
            violations.Add(new(Leader, $"须有且仅有1名组长，现有 {leaders.Count} 名"));
        }
        foreach (var leader in leaders.Where(l => l.Cadre.Grade != LeadershipGrade.Leader))
        {
            violations.Add(new(Leader, $"{leader.Cadre.Name} 不具备组长资格", leader.Cadre.Id));
        }
        var deputies = seats.Where(s => s.Role == GroupRoles.Deputy).ToList();
        if (deputies.Count < policy.MinDeputies || deputies.Count > policy.MaxDeputies)
        {
            violations.Add(new(Deputies, $"副组长应为 {policy.MinDeputies}–{policy.MaxDeputies} 名，现有 {deputies.Count} 名"));
        }
        foreach (var deputy in deputies.Where(d => d.Cadre.Grade == LeadershipGrade.Member))
        {
            violations.Add(new(Deputies, $"{deputy.Cadre.Name} 不具备副组长资格", deputy.Cadre.Id));
        }
        if (seats.Count < policy.MinGroupSize || seats.Count > policy.MaxGroupSize)
        {
            violations.Add(new(Size, $"巡察组应为 {policy.MinGroupSize}–{policy.MaxGroupSize} 人，现有 {seats.Count} 人"));
        }
        var covered = seats.SelectMany(s => s.Cadre.Specialties).ToHashSet();
        var missing = policy.RequiredSpecialties.Where(r => !covered.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            violations.Add(new(SpecialtyCoverage, $"缺少专业：{string.Join("、", missing.Select(Specialties.NameOf))}"));
        }
        if (cluster.IsCross && policy.IsEnabled(AvoidanceRules.HomeCounty.Name))
        {
            var maxLocals = policy.MaxLocals(seats.Count);
            if (locals > maxLocals)
            {
                violations.Add(new(CrossMix, $"本地人员 {locals} 名，超过上限 {maxLocals} 名（外地人员须不少于 {policy.CrossMinNonLocalShare:P0}）"));
            }
            if (policy.CrossRequireLocal && locals == 0)
            {
                violations.Add(new(CrossMix, "交叉巡察组须配备至少1名本地人员"));
            }
        }
        var newcomers = seats.Count(s => s.Cadre.IsNewcomer);
        var experienced = seats.Count(s => policy.IsExperienced(s.Cadre));
        if (newcomers > experienced)
        {
            violations.Add(new(Mentoring, $"新抽调干部 {newcomers} 名，业务骨干（参加≥{policy.ExperiencedAfterRounds}轮）仅 {experienced} 名，无法一对一带教"));
        }
        return violations;
    }

    /// <summary>以干代训 pairs: each newcomer with a distinct experienced member, in seat order.</summary>
    public static Dictionary<Guid, Guid> Mentors(IReadOnlyList<Seat> seats, StaffingPolicy policy)
    {
        var mentors = seats.Where(s => policy.IsExperienced(s.Cadre)).Select(s => s.Cadre.Id).ToList();
        return seats.Where(s => s.Cadre.IsNewcomer).Select(s => s.Cadre.Id)
            .Zip(mentors)
            .ToDictionary(p => p.First, p => p.Second);
    }
}
