using System.Collections.Concurrent;
using Xuncha.Testing;

namespace Xuncha.Rectification.Tests;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<RectificationServers>
{
    public const string Name = "real servers";
}

/// <summary>
/// The real servers plus one service host per test class (started on first use, stopped before the servers): a host
/// per test would spend most of the run starting hosts. Tests in a class share its database, so each works on its own
/// round and asserts about its own records only.
/// </summary>
public sealed class RectificationServers : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RectificationHost>>> hosts = new();

    public PlatformServers Servers { get; } = new();

    public Task<RectificationHost> HostFor(string key, DateOnly today, IDictionary<string, string?>? settings = null) =>
        hosts.GetOrAdd(key, _ => new Lazy<Task<RectificationHost>>(() => RectificationHost.StartAsync(Servers, today, settings))).Value;

    public Task InitializeAsync() => Servers.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in hosts.Values.Where(h => h.IsValueCreated))
        {
            try { await (await host.Value).DisposeAsync(); } catch (Exception) { /* a host that failed to start has nothing to stop */ }
        }
        await Servers.DisposeAsync();
    }
}
