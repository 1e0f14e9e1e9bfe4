using System.Net;
using System.Text;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

/// <summary>Need-to-know: agencies read their subtree, units see only themselves, bad input is a ProblemDetails.</summary>
[Collection(Servers.Name)]
public sealed class AccessTests(AccessTests.Seeded world) : IClassFixture<AccessTests.Seeded>
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        public Guid Round { get; private set; }

        protected override async Task SeedAsync(PlanningHost planning)
        {
            await World.ImportAsync(Host, [World.Department("tc-a-d01", World.CountyA), World.Department("tc-b-d01", World.CountyB)]);
            var term = await World.TermAsync(Host, World.CountyA);
            Round = await World.RoundAsync(Host, term, "2025-03-01", "2025-04-30", [("tc-a-d01", "county-direct")], World.CountyA);
        }
    }

    private PlanningHost Host => world.Host;
    private Guid Round => world.Round;

    [Theory]
    [InlineData(PlatformRoles.CommissionCaseOfficer)]
    [InlineData(PlatformRoles.AuditOfficer)]
    [InlineData(PlatformRoles.OrganisationDepartment)]
    [InlineData(PlatformRoles.LeadingGroup)]
    public async Task Agencies_of_the_city_read_rounds_and_targets_in_their_subtree_but_change_nothing(string role)
    {
        var agency = Host.As(World.City, role);
        (await agency.Get($"/rounds/{Round}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, (await agency.Get("/targets")).Expect(HttpStatusCode.OK).Json["total"]!.GetValue<int>());
        (await agency.Post("/targets", new { code = "tc-a-d09", parentCode = World.CountyA, name = "某局", kind = "county-department" })).ExpectProblem(HttpStatusCode.Forbidden);
        (await agency.Post($"/rounds/{Round}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-a-d01"), mode = "regular" } } })).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_county_agency_sees_its_county_only()
    {
        var countyB = Host.As(World.CountyB, PlatformRoles.CommissionCaseOfficer);
        (await countyB.Get($"/rounds/{Round}")).ExpectProblem(HttpStatusCode.NotFound);
        var targets = (await countyB.Get("/targets")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("tc-b-d01", Assert.Single(targets["items"]!.AsArray())!["code"]!.GetValue<string>());
        (await Host.Coordinator(World.CountyB).Post("/targets", new { code = "tc-a-d05", parentCode = World.CountyA, name = "某局", kind = "county-department" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_inspected_unit_sees_its_own_record_and_nothing_of_other_units()
    {
        var unit = Host.AsUser("tc-a-d01", "unit-1", PlatformRoles.UnitResponsible);
        (await unit.Get($"/targets/{World.IdOf("tc-a-d01")}")).Expect(HttpStatusCode.OK);
        (await unit.Get($"/targets/{World.IdOf("tc-b-d01")}")).ExpectProblem(HttpStatusCode.NotFound);
        (await unit.Get("/targets")).ExpectProblem(HttpStatusCode.Forbidden);
        (await unit.Get("/rounds")).ExpectProblem(HttpStatusCode.Forbidden);
        (await unit.Get($"/rounds/{Round}")).ExpectProblem(HttpStatusCode.Forbidden);
        (await unit.Get("/statistics")).ExpectProblem(HttpStatusCode.Forbidden);
        (await unit.Get("/targets/export")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_target_edit_needs_a_reason_and_a_stale_one_is_a_conflict()
    {
        var id = World.IdOf("tc-b-d01");
        var office = Host.Coordinator();
        var version = (await office.Get($"/targets/{id}")).Expect(HttpStatusCode.OK).Json["version"]!.GetValue<uint>();
        var attributes = new { economicSize = 10, petitions = 1, projects = 0, specialFunds = 0, weakPartyOrganisation = false, dataAnomaly = false };
        (await office.Put($"/targets/{id}", new { name = "乙县某局", attributes, version })).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Put($"/targets/{id}", new { name = "乙县某局", attributes, version, reason = "机构更名" })).Expect(HttpStatusCode.OK);
        (await office.Put($"/targets/{id}", new { name = "乙县旧名", attributes, version, reason = "旧页面提交" })).ExpectProblem(HttpStatusCode.Conflict);
        (await Host.Coordinator(World.CountyA).Put($"/targets/{id}", new { name = "越权", attributes, version, reason = "越权修改" })).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_token_everything_is_401()
    {
        var anonymous = new Api(Host.Anonymous());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Get("/rounds")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Post("/terms", new { })).Status);
    }

    [Fact]
    public async Task Malformed_missing_wrong_typed_and_hostile_input_are_problems_and_write_nothing()
    {
        var office = Host.Coordinator();
        var before = await Host.Count<Xuncha.Planning.Rounds.Round>();
        (await office.Send(HttpMethod.Post, "/rounds", new StringContent("{\"termId\": ", Encoding.UTF8, "application/json"))).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Send(HttpMethod.Post, "/rounds", new StringContent("", Encoding.UTF8, "application/json"))).ExpectProblem(HttpStatusCode.BadRequest);
        var typed = (await office.Send(HttpMethod.Post, "/rounds", new StringContent("{\"termId\":\"not-a-guid\",\"startsOn\":\"2025-01-01\",\"endsOn\":\"2025-02-01\"}", Encoding.UTF8, "application/json")))
            .ExpectProblem(HttpStatusCode.BadRequest).Json;
        Assert.NotNull(typed["errors"]!["termId"]);
        (await office.Post("/rounds", new { termId = Guid.NewGuid(), startsOn = "2025-01-01", endsOn = "2025-02-01", groupsNeeded = 1 })).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Post("/rounds", new { termId = Guid.NewGuid(), startsOn = "2025-01-01", endsOn = "2025-02-01", groupsNeeded = -3 })).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Post("/jurisdictions", new { id = "'; DROP TABLE targets; --", parentId = World.City, name = "x", level = "county" })).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Post("/targets", new { code = "tc-a-d10", parentCode = World.CountyA, name = new string('名', 101), kind = "county-department" })).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Post("/targets", new { code = "tc-a-d10", parentCode = World.CountyA, name = "某局", kind = "ministry" })).ExpectProblem(HttpStatusCode.BadRequest);
        var big = new StringContent("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        (await office.Send(HttpMethod.Post, "/terms", big)).ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
        (await office.Get("/targets?kind=palace")).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Get("/targets?pageSize=100000")).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Get($"/targets?page={int.MaxValue}")).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Post("/targets", new { code = "tc-a-d10", parentCode = World.CountyA, name = "某局", kind = 99 })).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Get($"/rounds/{Guid.NewGuid()}")).ExpectProblem(HttpStatusCode.NotFound);
        (await office.Post($"/rounds/{Round}/targets", new { targets = new[] { new { targetId = Guid.NewGuid(), mode = "regular" } } })).ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await Host.Count<Xuncha.Planning.Rounds.Round>());
        Assert.Equal(2, await Host.Count<Xuncha.Planning.Targets.Target>());
    }
}
