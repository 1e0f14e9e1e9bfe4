using System.Net;
using Xuncha.Planning.Classification;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

/// <summary>The rules themselves, without I/O.</summary>
public sealed class VillageClassifierTests
{
    private static Target Village(TargetAttributes a, bool? overrideKey = null) => new()
    {
        Id = Guid.NewGuid(), Code = "v", ParentCode = "t", Name = "某村", Kind = TargetKind.Village, County = "c", JurisdictionPath = ["x", "c", "t", "v"],
        Attributes = a, OverrideKey = overrideKey, OverrideReason = overrideKey is null ? null : "调研掌握情况",
    };

    private static readonly ClassificationRuleSet Rules = new()
    {
        Jurisdiction = "x", EconomicSizeAtLeast = 1000, PetitionsAtLeast = 5, ProjectsAtLeast = 5, SpecialFundsAtLeast = 300, KeyVillageMode = InspectionMode.Escalated,
    };

    [Fact]
    public void Below_every_threshold_is_non_key_and_goes_township_with_villages()
    {
        var r = VillageClassifier.Classify(Village(new TargetAttributes { EconomicSize = 999.99m, Petitions = 4, Projects = 4, SpecialFunds = 299 }), Rules);
        Assert.False(r.Key);
        Assert.Equal(InspectionMode.TownshipWithVillages, r.RecommendedMode);
        Assert.Contains("未达任何重点村标准", Assert.Single(r.Reasons));
    }

    [Fact]
    public void Each_threshold_reached_is_a_reason_and_makes_the_village_key()
    {
        var r = VillageClassifier.Classify(Village(new TargetAttributes { EconomicSize = 1000, Petitions = 5, Projects = 0, SpecialFunds = 0, WeakPartyOrganisation = true }), Rules);
        Assert.True(r.Key);
        Assert.Equal(InspectionMode.Escalated, r.RecommendedMode);
        Assert.Equal(3, r.Reasons.Count);
        Assert.Contains(r.Reasons, x => x.StartsWith("经济体量较大"));
        Assert.Contains(r.Reasons, x => x.StartsWith("信访反映较多"));
        Assert.Contains("党组织软弱涣散", r.Reasons);
    }

    [Fact]
    public void A_flag_the_rules_ignore_is_no_reason()
    {
        var lenient = new ClassificationRuleSet { Jurisdiction = "x", DataAnomalyIsKey = false };
        Assert.False(VillageClassifier.Classify(Village(new TargetAttributes { DataAnomaly = true }), lenient).Key);
    }

    [Fact]
    public void An_override_wins_and_keeps_the_rules_reasons()
    {
        var r = VillageClassifier.Classify(Village(new TargetAttributes { Petitions = 9 }, overrideKey: false), Rules);
        Assert.False(r.Key);
        Assert.True(r.RulesSayKey);
        Assert.True(r.Overridden);
        Assert.Contains(r.Reasons, x => x.StartsWith("信访反映较多"));
        Assert.Contains(r.Reasons, x => x.Contains("调研掌握情况"));
    }

    [Fact]
    public void The_nearest_rule_set_on_the_path_applies()
    {
        var city = new ClassificationRuleSet { Jurisdiction = "x", PetitionsAtLeast = 3 };
        var county = new ClassificationRuleSet { Jurisdiction = "c", PetitionsAtLeast = 10 };
        Assert.Same(county, VillageClassifier.RulesFor(["x", "c", "t", "v"], [city, county]));
        Assert.Same(city, VillageClassifier.RulesFor(["x", "d", "t", "v"], [city, county]));
        Assert.Equal("x", VillageClassifier.RulesFor(["x", "d"], []).Jurisdiction);
    }
}

[Collection(Servers.Name)]
public sealed class ClassificationApiTests(ClassificationApiTests.Seeded world) : IClassFixture<ClassificationApiTests.Seeded>
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        protected override Task SeedAsync(PlanningHost planning) => World.ImportAsync(Host,
        [
            World.Township("tc-a-t01", World.CountyA),
            World.Village("tc-a-t01-v01", "tc-a-t01"),
            World.Village("tc-a-t01-v02", "tc-a-t01", petitions: 6),
            World.Village("tc-a-t01-v03", "tc-a-t01", weak: true),
            World.Village("tc-a-t01-v04", "tc-a-t01", economic: 200),
        ]);
    }

    private PlanningHost Host => world.Host;

    [Fact]
    public async Task Thresholds_set_by_the_office_classify_the_villages_and_an_override_needs_a_reason()
    {
        var office = Host.Coordinator();
        (await office.Put($"/classification/rules/{World.CountyA}", new
        {
            economicSizeAtLeast = 150, petitionsAtLeast = 5, projectsAtLeast = 5, specialFundsAtLeast = 300,
            weakPartyOrganisationIsKey = true, dataAnomalyIsKey = true, keyVillageMode = "cross", reason = "结合本县村情调整标准",
        })).Expect(HttpStatusCode.OK);
        var list = (await office.Get("/classification/villages?under=tc-a-t01")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(4, list["total"]!.GetValue<int>());
        Assert.Equal(3, list["key"]!.GetValue<int>());
        var v04 = list["villages"]!.AsArray().Single(v => v!["code"]!.GetValue<string>() == "tc-a-t01-v04")!;
        Assert.Equal("cross", v04["recommendedMode"]!.GetValue<string>());
        Assert.Contains("200万元", v04["reasons"]![0]!.GetValue<string>());

        var id = World.IdOf("tc-a-t01-v02");
        (await office.Put($"/targets/{id}/classification", new { key = false })).ExpectProblem(HttpStatusCode.BadRequest);
        (await Host.LeadingGroup().Put($"/targets/{id}/classification", new { key = false, reason = "x理由" })).ExpectProblem(HttpStatusCode.Forbidden);
        var overridden = (await office.Put($"/targets/{id}/classification", new { key = false, reason = "信访已化解，村情简单" })).Expect(HttpStatusCode.OK).Json;
        Assert.False(overridden["key"]!.GetValue<bool>());
        Assert.Equal("信访已化解，村情简单", overridden["overrideReason"]!.GetValue<string>());
        Assert.Equal("township-with-villages", overridden["recommendedMode"]!.GetValue<string>());
        var read = (await Host.AsUser(World.City, "org", Xuncha.ServiceDefaults.Authorization.PlatformRoles.OrganisationDepartment).Get($"/targets/{id}/classification")).Expect(HttpStatusCode.OK).Json;
        Assert.True(read["overridden"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Launching_a_township_with_villages_attaches_exactly_its_non_key_villages()
    {
        var term = await World.TermAsync(Host);
        var round = await World.RoundAsync(Host, term, "2025-03-01", "2025-03-31", [("tc-a-t01", "township-with-villages")]);
        var launched = (await World.LaunchAsync(Host, round)).Json;
        var targets = launched["targets"]!.AsArray().ToDictionary(t => t!["code"]!.GetValue<string>());
        var township = World.IdOf("tc-a-t01");
        // v01 is small and quiet under any rules of this class; v03 has a weak Party organisation.
        Assert.Contains("tc-a-t01-v01", targets.Keys);
        Assert.DoesNotContain("tc-a-t01-v03", targets.Keys);
        Assert.All(targets.Values.Where(t => t!["kind"]!.GetValue<string>() == "village"), t => Assert.Equal(township, t!["clusterTargetId"]!.GetValue<Guid>()));
        var history = (await Host.Coordinator().Get($"/rounds/{round}/history")).Json.AsArray();
        Assert.Contains(history, h => h!["action"]!.GetValue<string>() == "round.launched" && h["after"]!.GetValue<string>().Contains("villagesAttached"));
    }

    [Fact]
    public async Task Township_with_villages_is_refused_for_a_village()
    {
        var term = await World.TermAsync(Host, World.CountyA);
        var round = (await Host.Coordinator().Post("/rounds", new { termId = term, startsOn = "2025-05-01", endsOn = "2025-05-31", groupsNeeded = 1 })).Expect(HttpStatusCode.Created).Id;
        var reply = (await Host.Coordinator().Post($"/rounds/{round}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-a-t01-v01"), mode = "township-with-villages" } } }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Contains("巡镇带村", reply["errors"]!["targets[0]"]![0]!.GetValue<string>());
    }
}
