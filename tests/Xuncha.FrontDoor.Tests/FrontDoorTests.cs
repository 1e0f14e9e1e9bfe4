using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xuncha.Testing;

namespace Xuncha.FrontDoor.Tests;

[Collection(Servers.Name)]
public sealed class FrontDoorTests(PlatformServers servers) : IAsyncLifetime
{
    private FrontDoor door = null!;

    public async Task InitializeAsync() => door = await FrontDoor.StartAsync(servers);

    public async Task DisposeAsync() => await door.DisposeAsync();

    [Fact]
    public async Task Discovery_is_served_at_the_gateway_with_the_gateway_as_issuer()
    {
        using var client = door.Client(door.GatewayUrl);
        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        Assert.Equal(door.GatewayUrl, discovery.GetProperty("issuer").GetString());
        var jwksUri = discovery.GetProperty("jwks_uri").GetString()!;
        Assert.StartsWith(door.GatewayUrl + "/", jwksUri);
        var jwks = await client.GetFromJsonAsync<JsonElement>(jwksUri);
        Assert.NotEmpty(jwks.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task An_agency_token_from_the_gateway_opens_its_api_through_the_gateway()
    {
        var secret = await door.AddClientAsync("county-office", ["planning"], ["office-coordinator"]);
        var token = await door.TokenAsync("county-office", secret, "planning");

        using var client = door.Client(door.GatewayUrl);
        client.DefaultRequestHeaders.Authorization = FrontDoor.Bearer(token);
        var created = await client.PostAsJsonAsync("/api/planning/notes", new { title = "第三轮巡察方案", amount = 1 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var note = await created.Content.ReadFromJsonAsync<JsonElement>();
        var read = await client.GetAsync($"/api/planning/notes/{note.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_api_is_refused_at_the_gateway_and_by_the_service_itself()
    {
        var secret = await door.AddClientAsync("audit-bureau", ["audit"], ["audit-officer"]);
        var token = await door.TokenAsync("audit-bureau", secret, "audit");

        using var viaGateway = door.Client(door.GatewayUrl);
        viaGateway.DefaultRequestHeaders.Authorization = FrontDoor.Bearer(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await viaGateway.PostAsJsonAsync("/api/planning/notes", new { title = "x", amount = 1 })).StatusCode);

        // Defence in depth: going around the gateway does not help.
        using var direct = door.Client(door.ServiceUrl);
        direct.DefaultRequestHeaders.Authorization = FrontDoor.Bearer(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await direct.PostAsJsonAsync("/notes", new { title = "x", amount = 1 })).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_the_gateway_answers_401_and_the_service_never_sees_the_request()
    {
        using var client = door.Client(door.GatewayUrl);
        var response = await client.PostAsJsonAsync("/api/planning/notes", new { title = "x", amount = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_wrong_client_secret_at_the_gateway_is_invalid_client()
    {
        await door.AddClientAsync("commission", ["clues"], ["commission-case-officer"]);
        using var client = door.Client(door.GatewayUrl);
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "commission", ["client_secret"] = "wrong", ["scope"] = "clues",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}
