extern alias identity;
extern alias gateway;
extern alias testhost;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Launcher;
using Xuncha.Testing;
using IdentityDb = identity::Xuncha.Identity.Data.IdentityDb;
using ApiClient = identity::Xuncha.Identity.Clients.ApiClient;

namespace Xuncha.FrontDoor.Tests;

/// <summary>
/// The platform's front door as deployed: identity and a service behind the gateway, each on its own Kestrel port. The
/// issuer is the gateway's address; the gateway and the service both validate tokens from identity's discovery.
/// "planning" is played by the foundation test host with the planning audience.
/// </summary>
public sealed class FrontDoor : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> parts = [];

    public required string GatewayUrl { get; init; }
    public required string IdentityUrl { get; init; }
    public required string ServiceUrl { get; init; }
    public required WebApplicationFactory<identity::Program> Identity { get; init; }

    public static async Task<FrontDoor> StartAsync(PlatformServers servers)
    {
        var (gatewayPort, identityPort, servicePort) = (Shell.FreePort(), Shell.FreePort(), Shell.FreePort());
        var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
        var identityUrl = $"http://127.0.0.1:{identityPort}";
        var serviceUrl = $"http://127.0.0.1:{servicePort}";

        var identity = new ServiceFactory<identity::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = await servers.CreateDatabaseAsync("frontdoor_identity"),
            ["Database:MigrateOnStart"] = "true",
            ["Identity:Issuer"] = gatewayUrl,
        }, trustTestTokens: false);
        identity.UseKestrel(identityPort);
        identity.StartServer();

        var service = new ServiceFactory<testhost::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:testhostdb"] = await servers.CreateDatabaseAsync("frontdoor_planning"),
            ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("frontdoor"),
            ["Database:MigrateOnStart"] = "true",
            ["Identity:Url"] = identityUrl,
            ["Identity:Audience"] = "xuncha.planning",
        }, trustTestTokens: false);
        service.UseKestrel(servicePort);
        service.StartServer();

        var gateway = new ServiceFactory<gateway::Program>(new Dictionary<string, string?>
        {
            ["Identity:Url"] = identityUrl,
            ["services:identity:http:0"] = identityUrl,
            ["services:planning:http:0"] = serviceUrl,
        }, trustTestTokens: false);
        gateway.UseKestrel(gatewayPort);
        gateway.StartServer();

        var door = new FrontDoor { GatewayUrl = gatewayUrl, IdentityUrl = identityUrl, ServiceUrl = serviceUrl, Identity = identity };
        door.parts.AddRange([gateway, service, identity]);
        using var probe = new HttpClient { BaseAddress = new Uri(serviceUrl) };
        await probe.WaitHealthyAsync();
        return door;
    }

    public HttpClient Client(string baseUrl) => new() { BaseAddress = new Uri(baseUrl) };

    /// <summary>Registers an agency client the way an administrator would, returning its secret.</summary>
    public async Task<string> AddClientAsync(string clientId, string[] scopes, string[] roles)
    {
        await using var scope = Identity.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var secret = ApiClient.NewSecret();
        db.Clients.Add(new ApiClient
        {
            ClientId = clientId, DisplayName = clientId, Agency = "inspection-office", Jurisdiction = "demo-city",
            SecretHash = ApiClient.Hash(secret), AllowedGrants = ["client_credentials"], AllowedScopes = [.. scopes], Roles = [.. roles],
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>client_credentials at the gateway's /connect/token, as an agency's system would ask.</summary>
    public async Task<string> TokenAsync(string clientId, string secret, string scope)
    {
        using var client = Client(GatewayUrl);
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public async ValueTask DisposeAsync()
    {
        foreach (var part in parts)
        {
            await part.DisposeAsync();
        }
    }
}
