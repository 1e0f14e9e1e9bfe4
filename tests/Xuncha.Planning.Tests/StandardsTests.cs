using System.Net;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

/// <summary>标到事: the library seeded from seed 000, versioned on every change, frozen by a launched round.</summary>
[Collection(Servers.Name)]
public sealed class StandardsTests(StandardsTests.Seeded world) : IClassFixture<StandardsTests.Seeded>
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        protected override Task SeedAsync(PlanningHost host) => World.ImportAsync(host, [World.Department("tc-a-d01", World.CountyA), World.Department("tc-a-d02", World.CountyA)]);
    }

    private PlanningHost Host => world.Host;

    [Fact]
    public async Task Version_1_holds_the_seed_000_examples()
    {
        var library = (await Host.AsUser("tc-a-d01", "unit", PlatformRoles.UnitLiaison).Get("/standards?version=1")).Expect(HttpStatusCode.OK).Json;
        var items = library["items"]!.AsArray();
        string Describe(string code)
        {
            var i = items.Single(x => x!["code"]!.GetValue<string>() == code)!;
            return $"{i["indicator"]} {i["comparison"]} {i["threshold"]!.GetValue<decimal>():0.##} {i["unit"]} {i["domain"]} {i["level"]}";
        }
        Assert.Equal("产业帮扶资金拨付时限 at-most 15 个工作日 rural-revitalisation county-department", Describe("RR-01"));
        Assert.Equal("低保动态复核频次 at-least 1 次/季度 livelihood township", Describe("LV-01"));
        Assert.Equal("“三会一课”参会率 at-least 85 % grassroots-party-building village", Describe("PB-01"));
        Assert.Equal("发展党员程序合格率 equals 100 % grassroots-party-building township", Describe("PB-02"));
        Assert.Equal("拆迁过渡费足额发放率 equals 100 % livelihood county-department", Describe("LV-02"));
        Assert.Equal("廉政风险点排查频次 at-least 1 次/半年 strict-party-governance county-department", Describe("PG-01"));
        Assert.Equal("谈话提醒覆盖率 at-least 90 % strict-party-governance county-department", Describe("PG-02"));
        var villages = (await Host.LeadingGroup().Get("/standards?version=1&level=village")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.All(villages, v => Assert.Equal("village", v!["level"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_change_publishes_a_version_and_a_launched_round_keeps_the_one_it_froze()
    {
        var term = await World.TermAsync(Host);
        var round = (await Host.Coordinator().Post("/rounds", new { termId = term, startsOn = "2025-03-01", endsOn = "2025-04-30", groupsNeeded = 1, standardCodes = new[] { "PG-02", "RR-01" } }))
            .Expect(HttpStatusCode.Created).Id;
        (await Host.Coordinator().Post($"/rounds/{round}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-a-d01"), mode = "regular" } } })).Expect(HttpStatusCode.OK);
        var frozen = (await World.LaunchAsync(Host, round)).Json["standardsVersion"]!.GetValue<int>();

        var change = new
        {
            domain = "strict-party-governance", level = "county-department", indicator = "谈话提醒覆盖率", comparison = "at-least", threshold = 95,
            unit = "%", policyBasis = "本市巡察工作办法（修订）", reason = "提高谈话提醒覆盖要求",
        };
        (await Host.LeadingGroup().Put("/standards/items/PG-02", change)).ExpectProblem(HttpStatusCode.Forbidden);
        var published = (await Host.Coordinator().Put("/standards/items/PG-02", change)).Expect(HttpStatusCode.OK).Json;
        Assert.True(published["version"]!.GetValue<int>() > frozen);
        (await Host.Coordinator().Post("/standards/items", change with { })).ExpectProblem(HttpStatusCode.BadRequest);
        // An empty code passes [RegularExpression]; it must not publish an item without a code.
        (await Host.Coordinator().Post("/standards/items", new { code = "", change.domain, change.level, change.indicator, change.comparison, change.threshold, change.unit, change.policyBasis, change.reason }))
            .ExpectProblem(HttpStatusCode.BadRequest);
        (await Host.Coordinator().Put("/standards/items/XX-99", change)).ExpectProblem(HttpStatusCode.NotFound);

        var used = (await Host.LeadingGroup().Get($"/rounds/{round}/standards")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(frozen, used["version"]!.GetValue<int>());
        Assert.True(used["frozen"]!.GetValue<bool>());
        Assert.Equal(90m, used["items"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == "PG-02")!["threshold"]!.GetValue<decimal>());

        var draft = (await Host.Coordinator().Post("/rounds", new { termId = term, startsOn = "2025-06-01", endsOn = "2025-06-30", groupsNeeded = 1, standardCodes = new[] { "PG-02" } }))
            .Expect(HttpStatusCode.Created).Id;
        Assert.Equal(95m, (await Host.LeadingGroup().Get($"/rounds/{draft}/standards")).Json["items"]![0]!["threshold"]!.GetValue<decimal>());
        Assert.Equal("unknown-standard", (await Host.Coordinator().Post("/rounds", new { termId = term, startsOn = "2025-07-01", endsOn = "2025-07-30", groupsNeeded = 1, standardCodes = new[] { "ZZ-01" } }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json["rule"]!.GetValue<string>());
    }
}

/// <summary>Demo:Seed=true: the demo city by the code scheme, with a term whose coverage is under way.</summary>
[Collection(Servers.Name)]
public sealed class DemoSeedTests(DemoSeedTests.Seeded world) : IClassFixture<DemoSeedTests.Seeded>
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Demo:Seed"] = "true" };
    }

    [Fact]
    public async Task The_demo_city_follows_the_code_scheme_and_its_term_is_partly_covered()
    {
        var host = world.Host;
        var office = host.Coordinator("demo-city");
        Assert.Equal(60, (await office.Get("/targets?kind=county-department&pageSize=1")).Json["total"]!.GetValue<int>());
        Assert.Equal(108, (await office.Get("/targets?kind=township&pageSize=1")).Json["total"]!.GetValue<int>());
        Assert.Equal(1303, (await office.Get("/targets?kind=village&pageSize=1")).Json["total"]!.GetValue<int>());
        Assert.Equal(13, (await office.Get("/targets?parent=demo-city-shangzhou-t01&kind=village")).Json["total"]!.GetValue<int>());
        Assert.Equal(12, (await office.Get("/targets?parent=demo-city-west-t12&kind=village")).Json["total"]!.GetValue<int>());
        var v = (await office.Get($"/targets/{World.IdOf("demo-city-luonan-t03-v07")}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(["demo-city", "demo-city-luonan", "demo-city-luonan-t03", "demo-city-luonan-t03-v07"], v["jurisdictionPath"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("demo-city-luonan-t03", v["parentCode"]!.GetValue<string>());
        var d = (await office.Get($"/targets/{World.IdOf("demo-city-zhashui-d06")}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("柞水县自然资源局", d["name"]!.GetValue<string>());
        Assert.Equal("demo-city-zhashui", d["parentCode"]!.GetValue<string>());

        var tree = (await office.Get("/jurisdictions/demo-city/tree")).Expect(HttpStatusCode.OK).Json;
        var counties = tree["children"]!.AsArray();
        Assert.Equal(9, counties.Count);
        var shangzhou = counties.Single(c => c!["id"]!.GetValue<string>() == "demo-city-shangzhou")!;
        Assert.Equal(12, shangzhou["children"]!.AsArray().Count);
        Assert.Equal(13, shangzhou["children"]![0]!["children"]!.AsArray().Count);
        Assert.Equal("village", shangzhou["children"]![0]!["children"]![0]!["level"]!.GetValue<string>());

        var terms = (await office.Get("/terms")).Json.AsArray();
        var term = Assert.Single(terms)!["id"]!.GetValue<Guid>();
        var coverage = (await office.Get($"/terms/{term}/coverage?asOf=2025-11-26")).Expect(HttpStatusCode.OK).Json;
        var overall = coverage["overall"]!;
        Assert.InRange(overall["rate"]!.GetValue<decimal>(), 10m, 90m);
        Assert.Equal(9, coverage["counties"]!.AsArray().Count);
        var rounds = (await office.Get($"/rounds?termId={term}")).Json.AsArray();
        Assert.Equal(3, rounds.Count);
        var plan = (await office.Get($"/terms/{term}/annual-plans/2024")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, plan["rounds"]!.GetValue<int>());
        Assert.Equal(18, plan["groupsNeeded"]!.GetValue<int>());
        var stats = (await office.Get($"/statistics?termId={term}")).Expect(HttpStatusCode.OK).Json;
        Assert.True(stats["problemsFound"]!.GetValue<int>() > 0);

        // Running the seed again changes nothing.
        await host.WithDb(async db => { await Xuncha.Planning.Demo.DemoSeed.RunAsync(db); return 0; });
        Assert.Equal(1303, (await office.Get("/targets?kind=village&pageSize=1")).Json["total"]!.GetValue<int>());
    }
}
