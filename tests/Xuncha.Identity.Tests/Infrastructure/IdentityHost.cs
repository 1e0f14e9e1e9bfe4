using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;
using Xuncha.Identity.Users;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>The identity service on a fresh database of the shared real PostgreSQL, with <see cref="Seeded"/> data in it.</summary>
public sealed class IdentityHost : IAsyncDisposable
{
    public const string Issuer = "http://127.0.0.1:8080";
    public const int AccessTokenMinutes = 10;

    private IdentityHost(IdentityFactory factory, string database)
    {
        Factory = factory;
        Database = database;
        Client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public IdentityFactory Factory { get; }
    public string Database { get; }
    /// <summary>No cookies, no token: an agency system's plain HTTP client.</summary>
    public HttpClient Client { get; }
    public IServiceProvider Services => Factory.Services;

    /// <summary>Starts identity on a fresh, seeded database — or, given <paramref name="database"/>, as another replica on that one.</summary>
    public static async Task<IdentityHost> StartAsync(PlatformServers servers, IDictionary<string, string?>? extra = null, TimeProvider? clock = null, string? database = null)
    {
        var replica = database is not null;
        database ??= await servers.CreateDatabaseAsync("identity");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = database,
            ["Database:MigrateOnStart"] = "true",
            ["Identity:Issuer"] = Issuer,
            ["Identity:AccessTokenMinutes"] = AccessTokenMinutes.ToString(),
            // Limits are tested on their own host; elsewhere they must not get in the way.
            ["Identity:TokenRequestsPerMinute"] = "100000",
            ["Identity:LoginAttemptsPerMinute"] = "100000",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = new IdentityHost(new IdentityFactory(settings, clock), database);
        await host.Client.WaitHealthyAsync();
        if (!replica)
        {
            await host.SeedAsync();
        }
        return host;
    }

    /// <summary>A browser: keeps cookies, does not follow redirects.</summary>
    public Browser NewBrowser(string clientId = Seeded.WebClient, string redirectUri = Seeded.WebRedirect) =>
        new(Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), clientId, redirectUri);

    /// <summary>A client carrying <paramref name="token"/> as its bearer token.</summary>
    public HttpClient WithToken(string? token)
    {
        var http = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A person's access token through the whole browser flow.</summary>
    public async Task<string> UserTokenAsync(SeededUser user, string scope = "openid profile identity.admin")
    {
        using var browser = NewBrowser();
        var tokens = await browser.SignInForTokensAsync(user.Username, user.Password, scope);
        return tokens.AccessToken;
    }

    /// <summary>An HTTP client with the seeded admin's token (obtained by signing in through the browser flow).</summary>
    public async Task<AdminApi> AdminAsync() => new(WithToken(await UserTokenAsync(Seeded.Admin)));

    public async Task<T> WithDb<T>(Func<IdentityDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<IdentityDb>());
    }

    public async Task WithScope(Func<IServiceProvider, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider);
    }

    /// <summary>The first admin and the first clients can only come from outside the API: written through the container.</summary>
    private Task SeedAsync() => WithScope(async sp =>
    {
        var db = sp.GetRequiredService<IdentityDb>();
        db.Jurisdictions.AddRange(
            new Jurisdiction { Id = Seeded.City, Name = "测试市" },
            new Jurisdiction { Id = Seeded.County, ParentId = Seeded.City, Name = "测试市东区" },
            new Jurisdiction { Id = Seeded.OtherCity, Name = "另一市" });
        db.Clients.Add(new ApiClient
        {
            ClientId = Seeded.Agency.ClientId, DisplayName = "纪委监委案件监督管理室", Agency = Seeded.Agency.Agency, Jurisdiction = Seeded.Agency.Jurisdiction,
            SecretHash = ApiClient.Hash(Seeded.Agency.Secret), AllowedGrants = ["client_credentials"], AllowedScopes = [.. Seeded.Agency.Scopes],
            Roles = [.. Seeded.Agency.Roles], CreatedAt = DateTimeOffset.UtcNow,
        });
        db.Clients.Add(new ApiClient
        {
            ClientId = Seeded.WebClient, DisplayName = "测试网页端", Agency = "inspection-office", Jurisdiction = Seeded.City,
            AllowedGrants = ["authorization_code", "refresh_token"], AllowedScopes = [.. Seeded.WebScopes],
            RedirectUris = [Seeded.WebRedirect], CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();

        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        var users = sp.GetRequiredService<UserManager<PlatformUser>>();
        foreach (var u in new[] { Seeded.Admin, Seeded.Staff })
        {
            var user = new PlatformUser { UserName = u.Username, DisplayName = u.DisplayName, Jurisdiction = u.Jurisdiction, Agency = u.Agency, LockoutEnabled = true };
            Check(await users.CreateAsync(user, u.Password));
            foreach (var role in u.Roles)
            {
                if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)));
                Check(await users.AddToRoleAsync(user, role));
            }
        }
    });

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    public Task<int> UserCountAsync() => WithDb(db => db.Users.CountAsync());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
