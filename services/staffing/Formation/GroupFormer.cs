using System.Numerics;
using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Cards;
using Xuncha.Staffing.Groups;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing.Formation;

public sealed record ProposedGroup(TargetCluster Cluster, IReadOnlyList<GroupSeat> Seats, GroupExplanation Explanation);

/// <summary>A target (or cluster) for which no group can meet a rule: which rule, and why.</summary>
public sealed record Infeasibility(Guid TargetId, string TargetName, IReadOnlyList<Guid> TargetIds, string Rule, string Detail);

public sealed record FormationResult(IReadOnlyList<ProposedGroup> Groups, IReadOnlyList<Infeasibility> Infeasible, IReadOnlyList<Exclusion> PoolExclusions, double Objective)
{
    public string ObjectiveStatement => Formation.Objective.Statement;
}

/// <summary>
/// Proposes one group per cluster that meets every hard rule of <see cref="GroupRules"/>: most constrained clusters
/// first, each built greedily (leader, deputies, 6+X coverage, local member, then the best fit), then improved by
/// replacing and swapping members while every rule still holds and the objective rises. Deterministic for equal input.
/// </summary>
public sealed class GroupFormer
{
    private readonly Round round;
    private readonly IReadOnlyList<TargetCluster> clusters;
    private readonly IReadOnlyList<Cadre> pool;
    private readonly StaffingPolicy policy;
    private readonly int n;
    private readonly int[] mask;
    private readonly int[] served;
    private readonly bool[] experienced;
    private readonly bool[] newcomer;
    private readonly LeadershipGrade[] grade;
    private readonly int requiredMask;
    private readonly bool crossRuleOn;
    private readonly ClusterState[] states;
    private readonly List<int>[] assignedTo;
    private readonly bool[,] overlaps;
    private readonly List<Exclusion> poolExclusions = [];

    private sealed class ClusterState
    {
        public required TargetCluster Cluster { get; init; }
        public int Preferred { get; init; }
        public bool Cross { get; init; }
        public List<int> Candidates { get; } = [];
        public HashSet<int> CandidateSet { get; } = [];
        public HashSet<int> Locals { get; } = [];
        public List<Exclusion> Exclusions { get; } = [];
        public List<int> Members { get; } = [];
        public List<string> Roles { get; } = [];
        public Infeasibility? Failure { get; set; }
        public bool Formed => Failure is null && Members.Count > 0;
    }

    private GroupFormer(Round round, IReadOnlyList<TargetCluster> clusters, IReadOnlyList<Cadre> pool, StaffingPolicy policy)
    {
        this.round = round;
        this.clusters = clusters;
        this.pool = pool;
        this.policy = policy;
        n = pool.Count;
        mask = [.. pool.Select(c => Objective.Mask(c.Specialties))];
        served = [.. pool.Select(c => c.RoundsServed)];
        experienced = [.. pool.Select(policy.IsExperienced)];
        newcomer = [.. pool.Select(c => c.IsNewcomer)];
        grade = [.. pool.Select(c => c.Grade)];
        requiredMask = Objective.Mask(policy.RequiredSpecialties);
        crossRuleOn = policy.IsEnabled(AvoidanceRules.HomeCounty.Name);
        states = [.. clusters.Select(c => new ClusterState { Cluster = c, Preferred = Objective.PreferredMask(c), Cross = c.IsCross && crossRuleOn })];
        assignedTo = [.. Enumerable.Range(0, n).Select(_ => new List<int>(1))];
        overlaps = new bool[clusters.Count, clusters.Count];
        for (var a = 0; a < clusters.Count; a++)
            for (var b = 0; b < clusters.Count; b++)
                overlaps[a, b] = clusters[a].StartsOn <= clusters[b].EndsOn && clusters[b].StartsOn <= clusters[a].EndsOn;
    }

    public static FormationResult Propose(Round round, IReadOnlyList<TargetCluster> clusters, IReadOnlyList<Cadre> pool, StaffingPolicy policy, int improvementPasses = 3)
    {
        var former = new GroupFormer(round, clusters, pool, policy);
        former.Screen();
        former.Construct();
        former.Improve(improvementPasses);
        return former.Result();
    }

    private void Screen()
    {
        var poolBarred = new Dictionary<(DateOnly, DateOnly), bool[]>();
        foreach (var (from, to) in clusters.Select(c => (c.StartsOn, c.EndsOn)).Distinct())
        {
            var barred = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var reasons = Eligibility.PoolReasons(pool[i], round, policy, from, to);
                barred[i] = reasons.Count > 0;
                if (barred[i] && !poolExclusions.Any(e => e.CadreId == pool[i].Id))
                {
                    poolExclusions.Add(new Exclusion(pool[i].Id, pool[i].Name, reasons));
                }
            }
            poolBarred[(from, to)] = barred;
        }
        foreach (var state in states)
        {
            var barred = poolBarred[(state.Cluster.StartsOn, state.Cluster.EndsOn)];
            for (var i = 0; i < n; i++)
            {
                if (barred[i]) continue;
                var (reasons, local) = Eligibility.TargetReasons(pool[i], state.Cluster, round, policy);
                var hard = reasons.Any(r => r.Rule != AvoidanceRules.HomeCounty.Name);
                if (reasons.Count > 0)
                {
                    state.Exclusions.Add(new Exclusion(pool[i].Id, pool[i].Name, reasons));
                }
                if (hard) continue;
                state.Candidates.Add(i);
                state.CandidateSet.Add(i);
                if (local && state.Cross) state.Locals.Add(i);
            }
        }
    }

    // Loops rather than TrueForAll: these run millions of times in the local search, and a lambda would allocate each time.
    private bool Free(int i, int k) => FreeAfterMove(i, -1, k);

    /// <summary>Whether cadre <paramref name="i"/>, leaving cluster <paramref name="from"/>, could join <paramref name="to"/>.</summary>
    private bool FreeAfterMove(int i, int from, int to)
    {
        foreach (var other in assignedTo[i])
        {
            if (other != from && overlaps[to, other]) return false;
        }
        return true;
    }

    private double Value(ClusterState s, int i) => Objective.MemberValue(mask[i], s.Preferred, served[i]);

    private void Construct()
    {
        var order = Enumerable.Range(0, states.Length)
            .OrderBy(k => states[k].Candidates.Count(i => grade[i] == LeadershipGrade.Leader))
            .ThenBy(k => states[k].Candidates.Count)
            .ThenBy(k => states[k].Cluster.Anchor.Code, StringComparer.Ordinal)
            .ToList();
        foreach (var k in order)
        {
            Build(k);
        }
    }

    private void Build(int k)
    {
        var s = states[k];
        var size = policy.PreferredGroupSize;
        var maxLocals = s.Cross ? policy.MaxLocals(size) : int.MaxValue;
        var members = new List<int>();
        var roles = new List<string>();
        var union = 0;
        int locals = 0, exp = 0, nov = 0;

        bool Admissible(int i, bool allowNewcomerUnpaired) =>
            !members.Contains(i) && Free(i, k)
            && (!s.Locals.Contains(i) || locals < maxLocals)
            && (!newcomer[i] || allowNewcomerUnpaired || exp > nov);

        void Add(int i, string role)
        {
            members.Add(i);
            roles.Add(role);
            union |= mask[i];
            if (s.Locals.Contains(i)) locals++;
            if (experienced[i]) exp++;
            if (newcomer[i]) nov++;
        }

        int Best(Func<int, bool> eligible, Func<int, double> score)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            foreach (var i in s.Candidates)
            {
                if (!eligible(i)) continue;
                var v = score(i);
                if (v > bestScore) { best = i; bestScore = v; }
            }
            return best;
        }

        double Marginal(int i) => Value(s, i) + Objective.Breadth(union | mask[i]) - Objective.Breadth(union);

        // Prefer someone who keeps every newcomer paired; fall back to an unpaired newcomer (a mentor is added later).
        int Pick(Func<int, bool> eligible, Func<int, double> score)
        {
            var paired = Best(i => eligible(i) && Admissible(i, false), score);
            return paired >= 0 ? paired : Best(i => eligible(i) && Admissible(i, true), score);
        }

        // Leaders are the scarcest: an experienced one, from outside the county when the round is cross.
        var leader = Pick(i => grade[i] == LeadershipGrade.Leader, i => Marginal(i) + (experienced[i] ? 2 : 0) - (s.Locals.Contains(i) ? 50 : 0));
        if (leader < 0) { Fail(k, GroupRules.Leader, "没有符合全部回避规则且可任组长的干部", i => grade[i] == LeadershipGrade.Leader); return; }
        Add(leader, GroupRoles.Leader);

        var deputiesWanted = Math.Clamp(size >= 8 ? 2 : 1, policy.MinDeputies, policy.MaxDeputies);
        for (var d = 0; d < deputiesWanted; d++)
        {
            var deputy = Pick(i => grade[i] != LeadershipGrade.Member, i => Marginal(i) + (experienced[i] ? 1 : 0) - (s.Locals.Contains(i) ? 20 : 0));
            if (deputy < 0)
            {
                if (d < policy.MinDeputies) { Fail(k, GroupRules.Deputies, $"可任副组长的干部不足 {policy.MinDeputies} 名", i => grade[i] != LeadershipGrade.Member, policy.MinDeputies + 1); return; }
                break;
            }
            Add(deputy, GroupRoles.Deputy);
        }

        while ((requiredMask & ~union) != 0)
        {
            if (members.Count >= policy.MaxGroupSize) { Fail(k, GroupRules.SpecialtyCoverage, $"在 {policy.MaxGroupSize} 人以内无法覆盖：{MissingNames(requiredMask & ~union)}", null); return; }
            var missing = requiredMask & ~union;
            var pick = Pick(i => (mask[i] & missing) != 0, i => 100 * BitOperations.PopCount((uint)(mask[i] & missing)) + Marginal(i));
            if (pick < 0) { Fail(k, GroupRules.SpecialtyCoverage, $"没有符合回避规则的干部具备：{MissingNames(missing)}", i => (mask[i] & missing) != 0); return; }
            Add(pick, GroupRoles.Member);
        }

        if (s.Cross && policy.CrossRequireLocal && locals == 0)
        {
            var local = Pick(s.Locals.Contains, Marginal);
            if (local < 0) { Fail(k, GroupRules.CrossMix, "交叉巡察须配备本地人员，但没有可用的本地干部", s.Locals.Contains); return; }
            Add(local, GroupRoles.Member);
        }

        while (members.Count < size || nov > exp)
        {
            if (members.Count >= policy.MaxGroupSize) break;
            // An unpaired newcomer needs a mentor before anyone else joins.
            var pick = nov > exp
                ? Best(i => experienced[i] && Admissible(i, true), Marginal)
                : Best(i => Admissible(i, false), Marginal);
            if (pick < 0) break;
            Add(pick, GroupRoles.Member);
        }

        if (members.Count < policy.MinGroupSize) { Fail(k, GroupRules.Size, $"符合条件的干部不足 {policy.MinGroupSize} 人", _ => true, policy.MinGroupSize); return; }
        if (nov > exp) { Fail(k, GroupRules.Mentoring, $"新抽调干部 {nov} 名而可带教的业务骨干仅 {exp} 名", i => experienced[i]); return; }
        if (s.Cross && locals > policy.MaxLocals(members.Count)) { Fail(k, GroupRules.CrossMix, $"本地人员 {locals} 名超过上限", null); return; }

        s.Members.AddRange(members);
        s.Roles.AddRange(roles);
        foreach (var i in members) assignedTo[i].Add(k);
    }

    /// <summary>Records why a cluster cannot be formed, telling a rule no pool could meet from one lost to other groups.</summary>
    private void Fail(int k, string rule, string detail, Func<int, bool>? eligible, int needed = 1)
    {
        var s = states[k];
        var suffix = "";
        if (eligible is not null)
        {
            var inRules = s.Candidates.Count(eligible);
            var free = s.Candidates.Count(i => eligible(i) && Free(i, k));
            suffix = inRules >= needed && free < needed
                ? $"（符合回避规则的 {inRules} 名均已编入时段重叠的其他组）"
                : $"（人才库中符合回避规则的仅 {inRules} 名）";
        }
        s.Failure = new Infeasibility(s.Cluster.Key, s.Cluster.Name, [.. s.Cluster.Targets.Select(t => t.TargetId)], rule, detail + suffix);
    }

    private static string MissingNames(int missing) =>
        string.Join("、", Specialties.Names.Keys.Where((_, i) => (missing & (1 << i)) != 0).Select(Specialties.NameOf));

    private bool Valid(ClusterState s, List<int> members)
    {
        int union = 0, locals = 0, exp = 0, nov = 0;
        foreach (var i in members)
        {
            union |= mask[i];
            if (s.Locals.Contains(i)) locals++;
            if (experienced[i]) exp++;
            if (newcomer[i]) nov++;
        }
        return (union & requiredMask) == requiredMask
            && nov <= exp
            && (!s.Cross || (locals <= policy.MaxLocals(members.Count) && (!policy.CrossRequireLocal || locals >= 1)));
    }

    private double GroupValue(ClusterState s, List<int> members)
    {
        var union = 0;
        var value = 0.0;
        foreach (var i in members)
        {
            union |= mask[i];
            value += Value(s, i);
        }
        return value + Objective.Breadth(union);
    }

    private bool RoleFits(int i, string role) => role switch
    {
        GroupRoles.Leader => grade[i] == LeadershipGrade.Leader,
        GroupRoles.Deputy => grade[i] != LeadershipGrade.Member,
        _ => true,
    };

    /// <summary>Local search: replace a member by a free candidate, or swap two groups' members, whenever every rule still holds and the objective rises.</summary>
    private void Improve(int passes)
    {
        var formed = Enumerable.Range(0, states.Length).Where(k => states[k].Formed).ToList();
        var exps = formed.ToDictionary(k => k, k => states[k].Members.Count(i => experienced[i]));
        // The balance term with one or two groups' experienced counts replaced (no allocation: it runs per candidate).
        double BalanceWith(int k1, int e1, int k2 = -1, int e2 = 0)
        {
            var sum = 0.0;
            foreach (var k in formed) sum += k == k1 ? e1 : k == k2 ? e2 : exps[k];
            var mean = sum / formed.Count;
            var deviation = 0.0;
            foreach (var k in formed) deviation += Math.Abs((k == k1 ? e1 : k == k2 ? e2 : exps[k]) - mean);
            return -2.0 * deviation;
        }

        for (var pass = 0; pass < passes; pass++)
        {
            var improved = false;
            foreach (var k in formed)
            {
                var s = states[k];
                for (var seat = 0; seat < s.Members.Count; seat++)
                {
                    var current = s.Members[seat];
                    var baseValue = GroupValue(s, s.Members) + BalanceWith(k, exps[k]);
                    var balanceFor = new Dictionary<int, double>();
                    var best = -1;
                    var bestGain = 1e-9;
                    foreach (var i in s.Candidates)
                    {
                        if (i == current || s.Members.Contains(i) || !RoleFits(i, s.Roles[seat]) || !Free(i, k)) continue;
                        s.Members[seat] = i;
                        if (Valid(s, s.Members))
                        {
                            var e = exps[k] - (experienced[current] ? 1 : 0) + (experienced[i] ? 1 : 0);
                            if (!balanceFor.TryGetValue(e, out var balance)) balanceFor[e] = balance = BalanceWith(k, e);
                            var gain = GroupValue(s, s.Members) + balance - baseValue;
                            if (gain > bestGain) { best = i; bestGain = gain; }
                        }
                        s.Members[seat] = current;
                    }
                    if (best >= 0)
                    {
                        s.Members[seat] = best;
                        assignedTo[current].Remove(k);
                        assignedTo[best].Add(k);
                        exps[k] += (experienced[best] ? 1 : 0) - (experienced[current] ? 1 : 0);
                        improved = true;
                    }
                }
            }
            improved |= SwapPass(formed, exps, BalanceWith);
            if (!improved) break;
        }
    }

    private bool SwapPass(List<int> formed, Dictionary<int, int> exps, Func<int, int, int, int, double> balanceWith)
    {
        var improved = false;
        for (var x = 0; x < formed.Count; x++)
        {
            for (var y = x + 1; y < formed.Count; y++)
            {
                int k1 = formed[x], k2 = formed[y];
                ClusterState a = states[k1], b = states[k2];
                for (var sa = 0; sa < a.Members.Count; sa++)
                {
                    for (var sb = 0; sb < b.Members.Count; sb++)
                    {
                        int i = a.Members[sa], j = b.Members[sb];
                        if (!RoleFits(j, a.Roles[sa]) || !RoleFits(i, b.Roles[sb])) continue;
                        if (!b.CandidateSet.Contains(i) || !a.CandidateSet.Contains(j) || a.Members.Contains(j) || b.Members.Contains(i)) continue;
                        if (!FreeAfterMove(i, k1, k2) || !FreeAfterMove(j, k2, k1)) continue;
                        var before = GroupValue(a, a.Members) + GroupValue(b, b.Members);
                        a.Members[sa] = j;
                        b.Members[sb] = i;
                        var ea = exps[k1] - (experienced[i] ? 1 : 0) + (experienced[j] ? 1 : 0);
                        var eb = exps[k2] - (experienced[j] ? 1 : 0) + (experienced[i] ? 1 : 0);
                        var valid = Valid(a, a.Members) && Valid(b, b.Members);
                        var gain = valid ? GroupValue(a, a.Members) + GroupValue(b, b.Members) - before : 0;
                        // The balance term moves only when exactly one of the two is experienced.
                        if (valid && experienced[i] != experienced[j]) gain += balanceWith(k1, ea, k2, eb) - balanceWith(k1, exps[k1], k2, exps[k2]);
                        if (valid && gain > 1e-9)
                        {
                            assignedTo[i].Remove(k1); assignedTo[i].Add(k2);
                            assignedTo[j].Remove(k2); assignedTo[j].Add(k1);
                            exps[k1] = ea;
                            exps[k2] = eb;
                            improved = true;
                        }
                        else
                        {
                            a.Members[sa] = i;
                            b.Members[sb] = j;
                        }
                    }
                }
            }
        }
        return improved;
    }

    private FormationResult Result()
    {
        var groups = new List<ProposedGroup>();
        var infeasible = states.Where(s => s.Failure is not null).Select(s => s.Failure!).ToList();
        var formed = states.Where(s => s.Formed).ToList();
        foreach (var s in formed)
        {
            var seats = s.Members.Select((i, seat) => new Seat(pool[i], s.Roles[seat])).ToList();
            var mentors = GroupRules.Mentors(seats, policy);
            var posts = Posts.Assign(seats, policy.RequiredSpecialties);
            var chosen = s.Members.ToHashSet();
            var groupSeats = s.Members.Select((i, seat) => new GroupSeat
            {
                CadreId = pool[i].Id,
                Name = pool[i].Name,
                Role = s.Roles[seat],
                Post = posts[pool[i].Id],
                Specialties = pool[i].Specialties,
                AccountSubject = pool[i].AccountSubject,
                Local = s.Locals.Contains(i),
                Newcomer = newcomer[i],
                MentorId = mentors.TryGetValue(pool[i].Id, out var m) ? m : null,
                Why = Why(s, i, s.Roles[seat], posts[pool[i].Id]),
            }).ToList();
            var notes = new List<string>
            {
                $"对象：{s.Cluster.Name}（{string.Join("、", s.Cluster.Targets.Select(t => t.Code))}）{(s.Cross ? "，交叉巡察" : "")}",
                $"“6+X”覆盖：{string.Join("、", seats.SelectMany(x => x.Cadre.Specialties).Distinct().Select(Specialties.NameOf))}",
            };
            notes.AddRange(mentors.Select(p => $"以干代训：{pool.First(c => c.Id == p.Key).Name}（新抽调）由 {pool.First(c => c.Id == p.Value).Name} 带教"));
            if (s.Cross)
            {
                notes.Add($"交叉巡察：本地人员 {s.Members.Count(s.Locals.Contains)} 名（上限 {policy.MaxLocals(s.Members.Count)} 名），其余来自外地");
            }
            groups.Add(new ProposedGroup(s.Cluster, groupSeats, new GroupExplanation
            {
                Objective = Objective.Statement,
                Score = Math.Round(GroupValue(s, s.Members), 2),
                Notes = notes,
                Exclusions = [.. s.Exclusions.Where(e => !groupSeats.Any(g => g.CadreId == e.CadreId))],
                EligibleNotChosen = s.Candidates.Count(i => !chosen.Contains(i)),
            }));
        }

        // The solver's own bookkeeping is checked against the rules as the adjustment endpoint applies them.
        var roundSeats = groups.SelectMany(g => g.Seats.Select(x => new RoundSeat(x.CadreId, g.Cluster.Key, g.Cluster.Name, g.Cluster.StartsOn, g.Cluster.EndsOn))).ToList();
        var byId = pool.ToDictionary(c => c.Id);
        foreach (var g in groups.ToList())
        {
            var violations = GroupRules.Check([.. g.Seats.Select(x => new Seat(byId[x.CadreId], x.Role))], g.Cluster, round, policy, g.Cluster.Key, roundSeats);
            if (violations.Count > 0)
            {
                groups.Remove(g);
                infeasible.AddRange(violations.Select(v => new Infeasibility(g.Cluster.Key, g.Cluster.Name, [.. g.Cluster.Targets.Select(t => t.TargetId)], v.Rule, v.Detail)));
            }
        }
        var objective = Objective.Evaluate(groups.Select(g => (g.Cluster, (IReadOnlyList<Cadre>)[.. g.Seats.Select(x => byId[x.CadreId])])), policy);
        return new FormationResult(groups, infeasible, poolExclusions, Math.Round(objective, 2));
    }

    private string Why(ClusterState s, int i, string role, string post)
    {
        var c = pool[i];
        var parts = new List<string>
        {
            $"{GroupRoles.NameOf(role)}（{PostTemplates.Title(post)}）",
            $"专业：{string.Join("、", c.Specialties.Select(Specialties.NameOf))}",
            $"已参加巡察 {c.RoundsServed} 轮{(experienced[i] ? "（业务骨干）" : newcomer[i] ? "（新抽调）" : "")}",
            $"通过全部回避规则{(s.Locals.Contains(i) ? "，作为本地人员入组" : "")}",
            $"对口得分 {Value(s, i):0.0}",
        };
        if (role == GroupRoles.Leader) parts.Insert(1, "具备组长资格");
        return string.Join("；", parts);
    }
}
