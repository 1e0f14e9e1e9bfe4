using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

// Each collection starts a whole platform; two at once would starve a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Xuncha.EndToEnd.Tests;

/// <summary>
/// The whole platform as the apphost runs it (real processes, real servers, demo data), driven only through the
/// gateway with real tokens: users sign in through the authorization-code flow, agencies use client credentials.
/// </summary>
public class E2EPlatform : IAsyncLifetime
{
    /// <summary>Every API scope, so one user token serves every service (its roles still decide).</summary>
    public const string AllScopes = "openid profile planning staffing fieldwork clues audit rectification";

    private readonly ConcurrentDictionary<string, (string Token, DateTime At)> tokens = new();

    public AppHostRun Run { get; private set; } = null!;
    public DevCredentials Credentials { get; private set; } = null!;
    public HttpClient Gateway => Run.Gateway;
    public string Issuer => Gateway.BaseAddress!.ToString().TrimEnd('/');

    protected virtual string[] Arguments => [];

    /// <summary>
    /// Every per-address and per-client window is raised (the gateway's, fieldwork's public intake, identity's sign-in and
    /// token): these tests send thousands of requests from one address, one after another on a shared platform, and 429
    /// under a burst is proven by each service's own tests.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Gateway__RateLimits__PerClient__PermitLimit"] = "1000000",
        ["Gateway__RateLimits__PerAddress__PermitLimit"] = "1000000",
        ["Gateway__RateLimits__Public__PermitLimit"] = "1000000",
        ["Fieldwork__Intake__ReadsPerWindow"] = "1000000",
        ["Fieldwork__Intake__SubmissionsPerWindow"] = "1000000",
        ["Identity__LoginAttemptsPerMinute"] = "1000000",
        ["Identity__TokenRequestsPerMinute"] = "1000000",
    };

    public virtual async Task InitializeAsync()
    {
        Run = await AppHostRun.StartAsync(Environment, Arguments);
        await Run.WaitUpAsync(TimeSpan.FromMinutes(4));
        Credentials = DevCredentials.Read(Path.Combine(Run.Data, "dev-credentials.json"));
    }

    public virtual async Task DisposeAsync() => await Run.DisposeAsync();

    /// <summary>A client for the gateway carrying <paramref name="username"/>'s access token (from the demo seed or made by a test).</summary>
    public async Task<HttpClient> AsUserAsync(string username, string? password = null)
    {
        var seeded = Credentials.Users.FirstOrDefault(u => u.Username == username);
        password ??= seeded?.Password ?? throw new InvalidOperationException($"no seeded user {username}: pass the password");
        var scopes = seeded?.Roles.Contains("platform-admin") == true ? AllScopes + " identity.admin" : AllScopes;
        return Authorized(await UserTokenAsync(username, password, scopes));
    }

    /// <summary>A client for the gateway carrying an agency system's client-credentials token.</summary>
    public async Task<HttpClient> AsClientAsync(string clientId) => Authorized(await ClientTokenAsync(clientId));

    /// <summary>No token at all: the public, or an attacker.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<string> UserTokenAsync(string username, string password, string scopes = AllScopes)
    {
        // Tokens live 15 minutes; a fresh one well before that keeps long runs honest.
        if (tokens.TryGetValue("user:" + username, out var cached) && DateTime.UtcNow - cached.At < TimeSpan.FromMinutes(8)) return cached.Token;
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new Browser(new HttpClient(handler) { BaseAddress = Gateway.BaseAddress }, "xuncha-web", Issuer + "/signin-callback");
        var issued = await browser.SignInForTokensAsync(username, password, scopes);
        tokens["user:" + username] = (issued.AccessToken, DateTime.UtcNow);
        return issued.AccessToken;
    }

    public async Task<string> ClientTokenAsync(string clientId)
    {
        if (tokens.TryGetValue("client:" + clientId, out var cached) && DateTime.UtcNow - cached.At < TimeSpan.FromMinutes(8)) return cached.Token;
        var client = Credentials.Client(clientId);
        var issued = await Gateway.ClientCredentialsAsync(client.ClientId, client.Secret, string.Join(' ', client.Scopes));
        issued.AssertIssued();
        tokens["client:" + clientId] = (issued.AccessToken, DateTime.UtcNow);
        return issued.AccessToken;
    }

    private HttpClient Authorized(string token)
    {
        var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

/// <summary>The platform shared by the tests that do not break it (the round, fuzzing, the authorization matrix).</summary>
[CollectionDefinition(Name)]
public sealed class SharedPlatform : ICollectionFixture<E2EPlatform>
{
    public const string Name = "shared platform";
}

/// <summary>What the development seed wrote to <c>dev-credentials.json</c>.</summary>
public sealed record DevCredentials(IReadOnlyList<DevClient> Clients, IReadOnlyList<DevUser> Users)
{
    public DevUser User(string username) => Users.SingleOrDefault(u => u.Username == username)
        ?? throw new InvalidOperationException($"no seeded user {username}; seeded: {string.Join(", ", Users.Select(u => u.Username))}");

    public DevUser WithRole(string role) => Users.First(u => u.Roles.Contains(role));

    public DevClient Client(string clientId) => Clients.SingleOrDefault(c => c.ClientId == clientId)
        ?? throw new InvalidOperationException($"no seeded client {clientId}");

    public static DevCredentials Read(string path)
    {
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return new DevCredentials(
            [.. root.GetProperty("clients").EnumerateArray().Select(c => new DevClient(
                c.GetProperty("client_id").GetString()!, c.GetProperty("client_secret").GetString()!, c.GetProperty("agency").GetString()!,
                [.. c.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)]))],
            [.. root.GetProperty("users").EnumerateArray().Select(u => new DevUser(
                u.GetProperty("username").GetString()!, u.GetProperty("password").GetString()!, u.GetProperty("jurisdiction").GetString()!,
                [.. u.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)]))]);
    }
}

public sealed record DevClient(string ClientId, string Secret, string Agency, string[] Scopes);

public sealed record DevUser(string Username, string Password, string Jurisdiction, string[] Roles);
