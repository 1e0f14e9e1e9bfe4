using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Staffing.Tests;

[Collection(Servers.Name)]
public sealed class CadreApiTests(PlatformServers servers) : IAsyncLifetime
{
    private StaffingHost host = null!;

    public async Task InitializeAsync() => host = await StaffingHost.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Create_update_and_archive_are_audited_and_the_identity_number_is_only_kept_as_a_keyed_hash()
    {
        var number = Http.IdentityNumber("61100219850101123");
        var org = host.ClientFor([PlatformRoles.OrganisationDepartment], subject: "org-1");
        var created = await org.Post("/cadres", Http.NewCadre(identity: number.ToLowerInvariant())).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.True(created.GetProperty("hasIdentityNumber").GetBoolean());
        Assert.DoesNotContain(number, created.GetRawText());

        var stored = await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Id == id));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(StaffingHost.HashKey), Encoding.UTF8.GetBytes(number)));
        Assert.Equal(expected, stored.IdentityHash);
        var matched = await org.Post("/cadres/match", new { identityNumber = number }).Expect(HttpStatusCode.OK);
        Assert.Equal(id, matched.GetProperty("id").GetGuid());

        var version = created.GetProperty("version").GetUInt32();
        var update = new Dictionary<string, object?>
        {
            ["name"] = "张三丰", ["jurisdictionPath"] = new[] { "demo-city", TestData.Danfeng }, ["currentUnitCode"] = "demo-city-danfeng-d02",
            ["specialties"] = new[] { "law" }, ["version"] = version, ["reason"] = "调动",
        };
        var updated = await host.Client.Put($"/cadres/{id}", update).Expect(HttpStatusCode.OK);
        Assert.Equal("张三丰", updated.GetProperty("name").GetString());
        Assert.True(updated.GetProperty("hasIdentityNumber").GetBoolean());
        // The same version again is a stale write.
        await host.Client.Put($"/cadres/{id}", update).Expect(HttpStatusCode.Conflict);

        await host.Client.DeleteAsync($"/cadres/{id}").Expect(HttpStatusCode.BadRequest);
        await host.Client.DeleteAsync($"/cadres/{id}?reason=退休").Expect(HttpStatusCode.NoContent);
        Assert.True((await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Id == id))).Archived);

        var audit = await host.WithDb(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["cadre.created", "cadre.updated", "cadre.archived"], audit.Select(a => a.Action));
        Assert.Equal("org-1", audit[0].Actor);
        Assert.Equal("调动", audit[1].Reason);
        Assert.DoesNotContain(audit, a => (a.After ?? "").Contains(number) || (a.After ?? "").Contains(expected));
    }

    [Fact]
    public async Task A_second_cadre_with_the_same_identity_number_is_a_conflict()
    {
        var number = Http.IdentityNumber("61100219900202223");
        await host.Client.Post("/cadres", Http.NewCadre(identity: number)).Expect(HttpStatusCode.Created);
        await host.Client.Post("/cadres", Http.NewCadre(name: "李四", identity: number)).Expect(HttpStatusCode.Conflict);
        Assert.Equal(1, await host.Count(db => db.Cadres));
    }

    [Fact]
    public async Task Only_the_office_and_the_organisation_department_see_the_pool()
    {
        foreach (var role in new[] { PlatformRoles.GroupMember, PlatformRoles.LeadingGroup, PlatformRoles.AuditOfficer, PlatformRoles.ClueOfficer, PlatformRoles.GroupLeader })
        {
            var other = host.ClientFor([role]);
            var problem = await other.GetAsync("/cadres").Expect(HttpStatusCode.Forbidden);
            Assert.Equal(403, problem.GetProperty("status").GetInt32());
            await other.Post("/cadres", Http.NewCadre()).Expect(HttpStatusCode.Forbidden);
            await other.GetAsync("/cadres/export").Expect(HttpStatusCode.Forbidden);
            await other.GetAsync("/avoidance/rules").Expect(HttpStatusCode.Forbidden);
        }
        Assert.Equal(0, await host.Count(db => db.Cadres));
        await host.ClientFor([PlatformRoles.OrganisationDepartment]).GetAsync("/cadres").Expect(HttpStatusCode.OK);

        var anonymous = host.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/cadres")).StatusCode);
    }

    [Fact]
    public async Task A_county_office_sees_only_its_own_county()
    {
        var luonanCadre = (await host.Client.Post("/cadres", Http.NewCadre(county: TestData.Luonan, unit: "demo-city-luonan-d01")).Expect(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var danfengCadre = (await host.Client.Post("/cadres", Http.NewCadre()).Expect(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var luonan = host.ClientFor([PlatformRoles.OfficeCoordinator], jurisdiction: TestData.Luonan);

        var page = await luonan.GetAsync("/cadres").Expect(HttpStatusCode.OK);
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        await luonan.GetAsync($"/cadres/{luonanCadre}").Expect(HttpStatusCode.OK);
        await luonan.GetAsync($"/cadres/{danfengCadre}").Expect(HttpStatusCode.NotFound);
        var refused = await luonan.Post("/cadres", Http.NewCadre()).Expect(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("jurisdictionPath", out _));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_writes_nothing()
    {
        (string Body, string? Field)[] cases =
        [
            ("{\"name\": \"x\", ", null),
            ("[1,2]", null),
            ("{\"name\": \"\", \"jurisdictionPath\": [\"demo-city\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"finance\"]}", "name"),
            ("{\"name\": \"x\", \"jurisdictionPath\": [\"demo-city\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"astrology\"]}", "specialties"),
            ("{\"name\": \"x\", \"jurisdictionPath\": [\"demo-city\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"finance\"], \"identityNumber\": \"123\"}", "identityNumber"),
            ("{\"name\": \"x\", \"jurisdictionPath\": [\"../../etc\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"finance\"]}", "jurisdictionPath"),
            ("{\"name\": \"x\", \"jurisdictionPath\": [\"demo-city\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"finance\"], \"roundsServed\": \"many\"}", "roundsServed"),
            ("{\"name\": \"x\", \"jurisdictionPath\": [\"demo-city\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"finance\"], \"formerUnits\": [{\"unitCode\": \"u-2\", \"from\": \"2020-01-01\", \"to\": \"2019-01-01\"}]}", "formerUnits[0].to"),
            ("{\"name\": \"x\", \"jurisdictionPath\": [\"demo-city\"], \"currentUnitCode\": \"u-1\", \"specialties\": [\"finance\"], \"relatives\": [null]}", "relatives[0].unitCode"),
        ];
        foreach (var (body, field) in cases)
        {
            var response = await host.Client.PostAsync("/cadres", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await Task.FromResult(response).Expect(HttpStatusCode.BadRequest);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body} → {problem}");
        }
        Assert.Equal(0, await host.Count(db => db.Cadres));
    }

    [Fact]
    public async Task Oversized_and_hostile_input_never_becomes_a_500()
    {
        var huge = new StringContent("{\"name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        await host.Client.PostAsync("/cadres", huge).Expect(HttpStatusCode.RequestEntityTooLarge);
        var hostile = await host.Client.GetAsync("/cadres?q=" + Uri.EscapeDataString("'; DROP TABLE cadres; --")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, hostile.GetProperty("total").GetInt32());
        await host.Client.GetAsync("/cadres?pageSize=100000").Expect(HttpStatusCode.BadRequest);
        await host.Client.GetAsync($"/cadres?page={int.MaxValue}").Expect(HttpStatusCode.BadRequest);
        await host.Client.GetAsync("/cadres/not-a-guid").Expect(HttpStatusCode.NotFound);
        var wrongType = new StringContent("<xml/>", Encoding.UTF8, "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Client.PostAsync("/cadres", wrongType)).StatusCode);
        Assert.Equal(0, await host.Count(db => db.Cadres));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_staffing_api()
    {
        var response = await host.Factory.CreateClient().GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("/rounds/{roundId}/proposal", text);
        Assert.Contains("/cadres/import", text);
    }
}
