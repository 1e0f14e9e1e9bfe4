using Xuncha.Testing;

namespace Xuncha.Clues.Tests.Infrastructure;

/// <summary>One service instance per test class (a fresh database and virtual host), prepared once.</summary>
public class HostFixture(PlatformServers servers) : IAsyncLifetime
{
    public CluesHost Host { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    protected virtual Task PrepareAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Host = await CluesHost.StartAsync(servers, Settings);
        await PrepareAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
