using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Seed;
using Xuncha.Staffing.Tests.Infrastructure;
using static Xuncha.Staffing.Tests.Infrastructure.TestData;

namespace Xuncha.Staffing.Tests;

/// <summary>Each avoidance rule (回避) with a case that triggers it and a case that does not.</summary>
public sealed class AvoidanceRuleTests
{
    private static readonly Xuncha.Contracts.Planning.RoundTarget Finance = Department("demo-city-luonan-d01");
    private static readonly Xuncha.Contracts.Planning.RoundTarget Township03 = Township("demo-city-luonan-t03");

    [Fact]
    public void Current_unit_is_the_target()
    {
        var reason = AvoidanceRules.CurrentUnit.Check(Case(Cadre(unit: "demo-city-luonan-d01"), Finance));
        Assert.NotNull(reason);
        Assert.Contains("即被巡察单位", reason);
        Assert.Null(AvoidanceRules.CurrentUnit.Check(Case(Cadre(unit: "demo-city-luonan-d02"), Finance)));
    }

    [Fact]
    public void Current_unit_is_the_targets_parent_or_lies_within_it()
    {
        var village = Village(Township03, 4);
        Assert.Contains("上级", AvoidanceRules.CurrentUnit.Check(Case(Cadre(unit: "demo-city-luonan-t03"), village)));
        Assert.Contains("隶属", AvoidanceRules.CurrentUnit.Check(Case(Cadre(unit: "demo-city-luonan-t03-v09"), Township03)));
        Assert.Null(AvoidanceRules.CurrentUnit.Check(Case(Cadre(unit: "demo-city-luonan-t04"), village)));
        // A code that merely starts the same way is not "within": t03 is not inside t0.
        Assert.Null(AvoidanceRules.CurrentUnit.Check(Case(Cadre(unit: "demo-city-luonan-t031"), Township03)));
    }

    [Fact]
    public void Former_unit_within_the_configured_years()
    {
        var recent = Cadre();
        recent.FormerUnits = [new FormerUnit("demo-city-luonan-d01", "洛南县财政局", new DateOnly(2019, 1, 1), Start.AddYears(-2))];
        var longAgo = Cadre();
        longAgo.FormerUnits = [new FormerUnit("demo-city-luonan-d01", "洛南县财政局", new DateOnly(2005, 1, 1), Start.AddYears(-6))];

        Assert.Contains("洛南县财政局", AvoidanceRules.FormerUnit.Check(Case(recent, Finance)));
        Assert.Null(AvoidanceRules.FormerUnit.Check(Case(longAgo, Finance)));
        // Per jurisdiction: a ten-year policy catches the older one too.
        Assert.NotNull(AvoidanceRules.FormerUnit.Check(Case(longAgo, Finance, new StaffingPolicy { FormerUnitYears = 10 })));
    }

    [Fact]
    public void Declared_relative_works_in_the_target()
    {
        var cadre = Cadre();
        cadre.Relatives = [new DeclaredRelative("王某", "配偶", "demo-city-luonan-t03-v02", "某村")];
        Assert.Contains("配偶王某", AvoidanceRules.Relative.Check(Case(cadre, Township03)));
        Assert.NotNull(AvoidanceRules.Relative.Check(Case(cadre, Village(Township03, 2))));
        Assert.Null(AvoidanceRules.Relative.Check(Case(cadre, Village(Township03, 3))));
        Assert.Null(AvoidanceRules.Relative.Check(Case(cadre, Finance)));
    }

    [Fact]
    public void Home_county_in_cross_inspection_is_a_quota_mark()
    {
        var cross = Department("demo-city-luonan-d01", "cross");
        var local = Cadre(home: Luonan, unit: "demo-city-luonan-d05");
        Assert.NotNull(AvoidanceRules.HomeCounty.Check(Case(local, cross)));
        Assert.True(AvoidanceRules.HomeCounty.IsQuota);
        Assert.Null(AvoidanceRules.HomeCounty.Check(Case(Cadre(home: Danfeng), cross)));
        // Not a cross round: a local may inspect.
        Assert.Null(AvoidanceRules.HomeCounty.Check(Case(local, Finance)));
    }

    [Fact]
    public void Staff_source_limits_cross_inspection_to_the_named_counties()
    {
        var cross = Department("demo-city-luonan-d01", "cross") with { StaffSourceJurisdictions = [Danfeng] };
        Assert.NotNull(AvoidanceRules.StaffSource.Check(Case(Cadre(home: "demo-city-zhenan"), cross)));
        Assert.Null(AvoidanceRules.StaffSource.Check(Case(Cadre(home: Danfeng), cross)));
    }

    [Fact]
    public void Inspected_the_same_unit_in_the_previous_round()
    {
        var cadre = Cadre();
        cadre.Services = [new ServiceRecord(Guid.NewGuid(), 4, DemoUnits.City, Guid.NewGuid(), ["demo-city-luonan-d01"], new DateOnly(2026, 9, 1), new DateOnly(2026, 10, 15), "member")];
        Assert.Contains("第4轮", AvoidanceRules.PreviousRound.Check(Case(cadre, Finance, roundNumber: 5)));
        Assert.Null(AvoidanceRules.PreviousRound.Check(Case(cadre, Finance, roundNumber: 6)));
        Assert.Null(AvoidanceRules.PreviousRound.Check(Case(cadre, Department("demo-city-luonan-d02"), roundNumber: 5)));
    }

    [Fact]
    public void Township_cadres_are_never_seconded()
    {
        var township = Cadre(unit: "demo-city-danfeng-t02");
        township.IsTownshipLevel = true;
        Assert.Contains("乡镇干部", AvoidanceRules.TownshipCadre.Check(Case(township, Finance)));
        Assert.Null(AvoidanceRules.TownshipCadre.Check(Case(Cadre(), Finance)));
    }

    [Fact]
    public void Rotation_after_K_consecutive_rounds()
    {
        ServiceRecord Served(int round) => new(Guid.NewGuid(), round, DemoUnits.City, Guid.NewGuid(), ["x"], Start.AddMonths(-round), Start.AddMonths(-round).AddDays(20), "member");
        var twice = Cadre();
        twice.Services = [Served(3), Served(4)];
        var gap = Cadre();
        gap.Services = [Served(2), Served(4)];

        Assert.Contains("连续抽调 2 轮", AvoidanceRules.Rotation.Check(Case(twice, Finance, roundNumber: 5)));
        Assert.Null(AvoidanceRules.Rotation.Check(Case(gap, Finance, roundNumber: 5)));
        Assert.Null(AvoidanceRules.Rotation.Check(Case(twice, Finance, new StaffingPolicy { MaxConsecutiveRounds = 3 }, roundNumber: 5)));
    }

    [Fact]
    public void A_jurisdiction_can_switch_a_rule_off()
    {
        var cadre = Cadre(unit: "demo-city-luonan-d01");
        Assert.Contains(AvoidanceRules.Screen(Case(cadre, Finance)), r => r.Rule.Name == "current-unit");
        Assert.DoesNotContain(AvoidanceRules.Screen(Case(cadre, Finance, new StaffingPolicy { DisabledRules = ["current-unit"] })), r => r.Rule.Name == "current-unit");
    }

    [Fact]
    public void Every_rule_has_a_distinct_name_and_a_chinese_title()
    {
        Assert.Equal(AvoidanceRules.All.Count, AvoidanceRules.All.Select(r => r.Name).Distinct().Count());
        Assert.All(AvoidanceRules.All, r => Assert.Matches("\\p{IsCJKUnifiedIdeographs}", r.Title));
    }
}
