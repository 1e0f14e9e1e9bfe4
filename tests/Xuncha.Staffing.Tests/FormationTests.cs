using System.Diagnostics;
using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Formation;
using Xuncha.Staffing.Seed;
using Xuncha.Staffing.Tests.Infrastructure;
using static Xuncha.Staffing.Tests.Infrastructure.TestData;

namespace Xuncha.Staffing.Tests;

/// <summary>The solver without I/O: the articles' scale checked by the independent validator, and infeasible input explained.</summary>
public sealed class FormationTests
{
    /// <summary>The default proposal for the sixty targets, computed once for the tests that only read it.</summary>
    private static readonly Lazy<(Xuncha.Staffing.Rounds.Round Round, List<Cadre> Pool, FormationResult Result)> Sixty = new(() =>
    {
        var pool = DemoPool.Generate();
        var round = Round(SixtyTargets());
        return (round, pool, GroupFormer.Propose(round, round.Clusters(), pool, new StaffingPolicy()));
    });

    internal static (Xuncha.Staffing.Rounds.Round Round, List<Cadre> Pool, FormationResult Result) SixtyProposal => Sixty.Value;

    private static List<CheckedGroup> Checked(FormationResult result) =>
        [.. result.Groups.Select(g => new CheckedGroup([.. g.Cluster.Targets.Select(t => t.TargetId)], [.. g.Seats.Select(s => new CheckedSeat(s.CadreId, s.Role, s.MentorId))]))];

    [Fact]
    public void Sixty_targets_from_1300_cadres_meet_every_hard_rule()
    {
        var (round, pool, result) = SixtyProposal;

        Assert.Equal(1300, pool.Count);
        Assert.Empty(result.Infeasible);
        Assert.Equal(52, result.Groups.Count);
        var problems = IndependentValidator.Check(round.Targets, round.Number, round.Jurisdiction, round.StartsOn, Checked(result), pool.ToDictionary(c => c.Id));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_choice_and_exclusion_is_explained()
    {
        var result = SixtyProposal.Result;

        Assert.Contains("目标函数", result.ObjectiveStatement);
        Assert.All(result.Groups.SelectMany(g => g.Seats), s => Assert.Contains("回避规则", s.Why));
        // Township cadres are barred from the whole round, reported once with the rule's name.
        Assert.Contains(result.PoolExclusions, e => e.Reasons.Any(r => r.Rule == "township-cadre"));
        // A cross-inspection group names the locals it could only take within the quota, with the rule.
        var cross = result.Groups.First(g => g.Cluster.IsCross);
        Assert.Contains(cross.Explanation.Exclusions, e => e.Reasons.Any(r => r.Rule == "home-county"));
        // Cadres working in a target are excluded from its group by name of the rule.
        var finance = result.Groups.First(g => g.Cluster.Anchor.Code == "demo-city-shangzhou-d01");
        Assert.Contains(finance.Explanation.Exclusions, e => e.Reasons.Any(r => r.Rule == "current-unit"));
        Assert.True(finance.Explanation.EligibleNotChosen > 0);
    }

    [Fact]
    public void The_proposal_is_deterministic()
    {
        var (round, _, a) = SixtyProposal;
        var b = GroupFormer.Propose(round, round.Clusters(), DemoPool.Generate(), new StaffingPolicy());
        Assert.Equal(a.Objective, b.Objective);
        Assert.Equal(a.Groups.SelectMany(g => g.Seats.Select(s => s.CadreId)), b.Groups.SelectMany(g => g.Seats.Select(s => s.CadreId)));
    }

    [Fact]
    public void Without_leaders_the_result_names_the_leader_rule_for_every_target()
    {
        var pool = DemoPool.Generate();
        foreach (var c in pool) c.Grade = c.Grade == LeadershipGrade.Leader ? LeadershipGrade.Deputy : c.Grade;
        var round = Round([Department("demo-city-luonan-d01"), Department("demo-city-danfeng-d02")]);

        var result = GroupFormer.Propose(round, round.Clusters(), pool, new StaffingPolicy());

        Assert.Empty(result.Groups);
        Assert.Equal(2, result.Infeasible.Count);
        Assert.All(result.Infeasible, i => Assert.Equal("leader", i.Rule));
        Assert.Contains(result.Infeasible, i => i.TargetName == "demo-city-luonan-d01");
    }

    [Fact]
    public void A_missing_core_specialty_is_named()
    {
        var pool = DemoPool.Generate();
        foreach (var c in pool) c.Specialties.Remove(Specialties.Audit);
        foreach (var c in pool.Where(c => c.Specialties.Count == 0)) c.Specialties.Add(Specialties.Law);
        var round = Round([Department("demo-city-luonan-d01")]);

        var result = GroupFormer.Propose(round, round.Clusters(), pool, new StaffingPolicy());

        var failure = Assert.Single(result.Infeasible);
        Assert.Equal("specialties-6x", failure.Rule);
        Assert.Contains("审计", failure.Detail);
    }

    [Fact]
    public void Too_few_leaders_for_all_targets_says_they_went_to_other_groups()
    {
        var pool = DemoPool.Generate();
        var leaders = pool.Where(c => c.Grade == LeadershipGrade.Leader).Skip(2).ToList();
        foreach (var c in leaders) c.Grade = LeadershipGrade.Deputy;
        var round = Round([Department("demo-city-luonan-d01"), Department("demo-city-danfeng-d02"), Department("demo-city-zhenan-d03")]);

        var result = GroupFormer.Propose(round, round.Clusters(), pool, new StaffingPolicy());

        var failure = Assert.Single(result.Infeasible);
        Assert.Equal("leader", failure.Rule);
        Assert.Contains("其他组", failure.Detail);
        Assert.Equal(2, result.Groups.Count);
    }

    [Fact]
    public void Cross_inspection_without_any_local_cadre_names_the_cross_mix_rule()
    {
        var pool = DemoPool.Generate().Where(c => c.HomeJurisdiction != Luonan).ToList();
        var round = Round([Department("demo-city-luonan-d01", "cross")]);
        var failure = Assert.Single(GroupFormer.Propose(round, round.Clusters(), pool, new StaffingPolicy()).Infeasible);
        Assert.Equal("cross-mix", failure.Rule);
    }

    [Fact]
    public void Local_search_improves_on_its_own_construction()
    {
        var (round, _, improved) = SixtyProposal;
        var constructed = GroupFormer.Propose(round, round.Clusters(), DemoPool.Generate(), new StaffingPolicy(), improvementPasses: 0);
        Assert.True(improved.Objective > constructed.Objective, $"{improved.Objective} vs {constructed.Objective}");
    }
}

/// <summary>The validator must have teeth: a formed round broken on purpose is reported.</summary>
public sealed class IndependentValidatorTests
{
    [Fact]
    public void It_reports_a_broken_leader_a_doubled_cadre_and_a_lost_village()
    {
        var (round, pool, result) = FormationTests.SixtyProposal;
        var groups = result.Groups.Select(g => new CheckedGroup([.. g.Cluster.Targets.Select(t => t.TargetId)], [.. g.Seats.Select(s => new CheckedSeat(s.CadreId, s.Role, s.MentorId))])).ToList();
        groups[0] = groups[0] with { Seats = [.. groups[0].Seats.Select(s => s.Role == "leader" ? s with { Role = "member" } : s)] };
        groups[1] = groups[1] with { Seats = [.. groups[1].Seats, groups[2].Seats[^1]] };
        var clustered = groups.FindIndex(g => g.TargetIds.Count > 1);
        groups[clustered] = groups[clustered] with { TargetIds = [groups[clustered].TargetIds[0]] };

        var problems = IndependentValidator.Check(round.Targets, round.Number, round.Jurisdiction, round.StartsOn, groups, pool.ToDictionary(c => c.Id));

        Assert.Contains(problems, p => p.Contains("leader rule"));
        Assert.Contains(problems, p => p.Contains("sits in 2 groups"));
        Assert.Contains(problems, p => p.Contains("has no group"));
    }
}
