using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Seed;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>The development seed: demo accounts whose credentials land in a file, stable across restarts.</summary>
[Collection(Servers.Name)]
public sealed class DevelopmentSeedTests(PlatformServers servers) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "xuncha-seed-" + Guid.NewGuid().ToString("N")[..8]);

    private string CredentialsPath => Path.Combine(folder, "nested", "dev-credentials.json");

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private async Task<JsonElement> ReadCredentials() => JsonDocument.Parse(await File.ReadAllTextAsync(CredentialsPath)).RootElement.Clone();

    [Fact]
    public async Task The_seed_writes_working_credentials_in_the_documented_shape_and_a_second_run_keeps_them()
    {
        await using var host = await IdentityHost.StartAsync(servers, new Dictionary<string, string?> { ["Identity:DevCredentialsPath"] = CredentialsPath });
        // "Testing" is not Development: nothing was seeded at start.
        Assert.False(await host.WithDb(db => db.Clients.AnyAsync(c => c.ClientId == "commission-system")));
        Assert.False(File.Exists(CredentialsPath));

        await DevelopmentSeed.RunAsync(host.Services);

        var first = await ReadCredentials();
        Assert.Equal(["clients", "users"], first.EnumerateObject().Select(p => p.Name).Order());
        var clients = first.GetProperty("clients").EnumerateArray().ToList();
        var users = first.GetProperty("users").EnumerateArray().ToList();
        Assert.NotEmpty(clients);
        Assert.All(clients, c =>
        {
            Assert.Equal(["agency", "client_id", "client_secret", "scopes"], c.EnumerateObject().Select(p => p.Name).Order());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("client_secret").GetString()));
            Assert.NotEmpty(c.GetProperty("scopes").EnumerateArray());
        });
        Assert.Equal(PlatformRoles.All.Count, users.Count);
        Assert.All(users, u =>
        {
            Assert.Equal(["jurisdiction", "password", "roles", "username"], u.EnumerateObject().Select(p => p.Name).Order());
            Assert.Single(u.GetProperty("roles").EnumerateArray());
            Assert.Equal(DevelopmentSeed.City, u.GetProperty("jurisdiction").GetString());
        });
        Assert.Equal(PlatformRoles.All.Order(), users.Select(u => u.GetProperty("roles")[0].GetString()!).Order());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CredentialsPath));
        }

        // A seeded client's secret works at the token endpoint, with the scopes the file lists.
        var commission = clients.Single(c => c.GetProperty("client_id").GetString() == "commission-system");
        var token = await host.Client.ClientCredentialsAsync("commission-system", commission.GetProperty("client_secret").GetString()!);
        token.AssertIssued();
        Assert.Equal(commission.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).Order(),
            token.Body.GetProperty("scope").GetString()!.Split(' ').Order());
        Assert.Equal(commission.GetProperty("agency").GetString(), Jwt.Payload(token.AccessToken).GetProperty("agency").GetString());

        // A seeded person signs in through the seeded browser client.
        var coordinator = users.Single(u => u.GetProperty("roles")[0].GetString() == PlatformRoles.OfficeCoordinator);
        await SignIn(host, coordinator);

        // A restart re-runs the seed: the same credentials, still working.
        await DevelopmentSeed.RunAsync(host.Services);
        var second = await ReadCredentials();
        Assert.Equal(first.GetRawText(), second.GetRawText());
        (await host.Client.ClientCredentialsAsync("commission-system", commission.GetProperty("client_secret").GetString()!)).AssertIssued();
        await SignIn(host, coordinator);
        Assert.Equal(1, await host.WithDb(db => db.Clients.CountAsync(c => c.ClientId == "xuncha-web")));

        // With the file gone, a run hands out new credentials: they work, the old ones no longer do.
        File.Delete(CredentialsPath);
        await DevelopmentSeed.RunAsync(host.Services);
        var third = await ReadCredentials();
        var newCommission = third.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("client_id").GetString() == "commission-system");
        Assert.NotEqual(commission.GetProperty("client_secret").GetString(), newCommission.GetProperty("client_secret").GetString());
        (await host.Client.ClientCredentialsAsync("commission-system", newCommission.GetProperty("client_secret").GetString()!)).AssertIssued();
        (await host.Client.ClientCredentialsAsync("commission-system", commission.GetProperty("client_secret").GetString()!))
            .AssertError(HttpStatusCode.Unauthorized, "invalid_client");
        await SignIn(host, third.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("roles")[0].GetString() == PlatformRoles.OfficeCoordinator));
    }

    private static async Task SignIn(IdentityHost host, JsonElement user)
    {
        using var browser = host.NewBrowser("xuncha-web", IdentityHost.Issuer + "/signin-callback");
        var tokens = await browser.SignInForTokensAsync(user.GetProperty("username").GetString()!, user.GetProperty("password").GetString()!, "openid profile");
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
    }
}
