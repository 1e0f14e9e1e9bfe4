using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Demo;
using Xuncha.Clues.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Clues.Tests;

/// <summary>The demo term's ledger, built through the state machine, must give seed 003's figures.</summary>
[Collection(Servers.Name)]
public sealed class StatisticsTests(StatisticsTests.Fixture fixture) : IClassFixture<StatisticsTests.Fixture>
{
    private readonly CluesHost host = fixture.Host;

    public sealed class Fixture(PlatformServers servers) : HostFixture(servers)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Demo:Seed"] = "true" };
    }

    private async Task<JsonElement> Totals(string query = "") =>
        (await (await host.As(PlatformRoles.LeadingGroup).GetAsync("/statistics" + query)).Json(HttpStatusCode.OK)).GetProperty("totals");

    [Fact]
    public async Task The_term_matches_the_hengyang_oracle()
    {
        var totals = await Totals($"?jurisdiction=demo-city&termId={DemoSeed.TermId}");
        Assert.Equal(96, totals.GetProperty("clues").GetInt32());
        Assert.Equal(96, totals.GetProperty("transferred").GetInt32());
        Assert.Equal(81, totals.GetProperty("closed").GetInt32());
        Assert.Equal(70, totals.GetProperty("organisationalHandlings").GetInt32());
        Assert.Equal(59, totals.GetProperty("casesFiled").GetInt32());
        Assert.Equal(51, totals.GetProperty("sanctions").GetInt32());
        Assert.Equal(4, totals.GetProperty("judicialTransfers").GetInt32());
        Assert.Equal(15, totals.GetProperty("inHandling").GetInt32());
    }

    [Fact]
    public async Task Rounds_add_up_to_the_term_and_filters_narrow()
    {
        var stats = (await (await host.As(PlatformRoles.ClueOfficer).GetAsync("/statistics")).Json(HttpStatusCode.OK));
        var byRound = stats.GetProperty("byRound").EnumerateArray().ToList();
        Assert.Equal(2, byRound.Count);
        Assert.Equal(96, byRound.Sum(r => r.GetProperty("figures").GetProperty("clues").GetInt32()));
        Assert.Equal("示范市第十二届市委第1轮巡察", byRound[0].GetProperty("roundName").GetString());

        Assert.Equal(60, (await Totals($"?roundId={DemoSeed.RoundId(1)}")).GetProperty("clues").GetInt32());
        Assert.Equal(0, (await Totals($"?termId={Guid.NewGuid()}")).GetProperty("clues").GetInt32());
        // A county sees none of the city's clues, even when it asks for the city.
        var county = await (await host.As(PlatformRoles.LeadingGroup, CluesHost.County).GetAsync("/statistics?jurisdiction=demo-city")).Json(HttpStatusCode.OK);
        Assert.Equal(0, county.GetProperty("totals").GetProperty("clues").GetInt32());
        await (await host.As(PlatformRoles.AuditOfficer).GetAsync("/statistics")).Json(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_demo_seed_is_idempotent_and_its_old_transfers_are_overdue()
    {
        await DemoSeed.RunAsync(host.Services);
        Assert.Equal(96, await host.WithDb(db => db.Clues.CountAsync()));
        Assert.Equal(96, await host.WithDb(db => db.Letters.Select(l => l.Number).Distinct().CountAsync()));
        Assert.Equal(15, (await Totals()).GetProperty("overdue").GetInt32());
    }
}
