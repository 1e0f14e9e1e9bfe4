using System.Net;
using Xuncha.Staffing.Seed;
using Xuncha.Staffing.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Staffing.Tests;

/// <summary>The demo pool seeded at start, and a round at the articles' scale formed through the service.</summary>
[Collection(Servers.Name)]
public sealed class DemoScaleTests(PlatformServers servers) : IAsyncLifetime
{
    private StaffingHost host = null!;

    public async Task InitializeAsync() => host = await StaffingHost.StartAsync(servers, seed: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>One test on one seeded host: seeding the whole pool is the expensive part.</summary>
    [Fact]
    public async Task The_seeded_pool_follows_the_code_scheme_and_forms_sixty_targets_through_the_service()
    {
        await DemoSeed.RunAsync(host.Factory.Services);
        var pool = await host.Pool();
        Assert.Equal(1300, pool.Count);
        Assert.Equal(9, pool.Values.Select(c => c.HomeJurisdiction).Distinct().Count());
        Assert.All(pool.Values, c => Assert.StartsWith(c.HomeJurisdiction + "-", c.CurrentUnitCode));
        var township = pool.Values.Count(c => c.IsTownshipLevel);
        Assert.InRange(township, 90, 160);
        Assert.All(Xuncha.Staffing.Cadres.Specialties.Names.Keys, s => Assert.Contains(pool.Values, c => c.Specialties.Contains(s)));
        Assert.Contains(pool.Values, c => c.FormerUnits.Count > 0);
        Assert.Contains(pool.Values, c => c.Relatives.Count > 0);
        Assert.Equal(DemoPool.Generate().Select(c => c.Id).Order(), pool.Keys.Order());

        var round = await host.Launch(TestData.Round(TestData.SixtyTargets()));
        var proposal = await host.Propose(round.Id);
        var groups = proposal.GetProperty("groups");
        Assert.Equal(52, groups.GetArrayLength());
        var problems = IndependentValidator.Check(round.Targets, round.Number, round.Jurisdiction, round.StartsOn, RoundSetup.Checked(groups), await host.Pool());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(52, (await host.Client.GetAsync($"/rounds/{round.Id}/groups").Expect(HttpStatusCode.OK)).GetArrayLength());
    }
}
