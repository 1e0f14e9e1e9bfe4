using Xuncha.Testing;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>One identity host per test class (a fresh database); tests in the class make their own users and clients.</summary>
public sealed class IdentityFixture(PlatformServers servers) : IAsyncLifetime
{
    private IdentityHost? host;

    public IdentityHost Host => host ?? throw new InvalidOperationException("identity did not start");

    public async Task InitializeAsync() => host = await IdentityHost.StartAsync(servers);

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }
}
