using Xuncha.Testing;

namespace Xuncha.Planning.Tests.Infrastructure;

/// <summary>
/// One planning host per test class (a fresh database and virtual host) with the test city created; each class seeds
/// what its tests share, and its tests keep to their own targets and dates.
/// </summary>
public abstract class PlanningFixture(PlatformServers servers) : IAsyncLifetime
{
    private PlanningHost? host;

    public PlanningHost Host => host ?? throw new InvalidOperationException("planning did not start");

    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync()
    {
        host = await PlanningHost.StartAsync(servers, Settings);
        await World.CreateCityAsync(host);
        await SeedAsync(host);
    }

    protected virtual Task SeedAsync(PlanningHost planning) => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }
}

/// <summary>The test city only.</summary>
public sealed class CityFixture(PlatformServers servers) : PlanningFixture(servers);
