using System.Net;
using System.Net.Http.Json;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Identity.Tests;

/// <summary>Agencies' systems: client_credentials with client_secret_basic or client_secret_post, and every refusal.</summary>
[Collection(Servers.Name)]
public sealed class ClientCredentialsTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task The_token_carries_issuer_audiences_lifetime_kid_and_the_clients_identity()
    {
        var response = await Host.Client.ClientCredentialsAsync(Seeded.Agency, scope: "planning clues");
        response.AssertIssued();
        Assert.Equal(IdentityHost.AccessTokenMinutes * 60, response.Body.GetProperty("expires_in").GetInt32());
        Assert.Equal("planning clues", response.Body.GetProperty("scope").GetString());
        Assert.False(response.Has("refresh_token"), "client credentials never get a refresh token");

        var token = response.AccessToken;
        var header = Jwt.Header(token);
        var claims = Jwt.Payload(token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal(IdentityHost.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(["xuncha.clues", "xuncha.planning"], Jwt.Audiences(token).Order());
        var lifetime = claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64();
        Assert.Equal(IdentityHost.AccessTokenMinutes * 60, lifetime);
        Assert.True(lifetime <= 3600);
        Assert.Equal(Seeded.Agency.ClientId, claims.GetProperty("sub").GetString());
        Assert.Equal(Seeded.Agency.ClientId, claims.GetProperty("client_id").GetString());
        Assert.Equal(Seeded.Agency.Jurisdiction, claims.GetProperty("jurisdiction").GetString());
        Assert.Equal(Seeded.Agency.Agency, claims.GetProperty("agency").GetString());
        Assert.Equal(Seeded.Agency.Roles, claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("planning clues", claims.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));

        var jwks = await Jwt.FetchJwksAsync(Host.Client);
        Assert.Contains(header.GetProperty("kid").GetString(), Jwt.KeyIds(jwks));
        await Jwt.AssertValidAsync(token, jwks, "xuncha.planning");
        await Jwt.AssertValidAsync(token, jwks, "xuncha.clues");
        Assert.False((await Jwt.ValidateAsync(token, jwks, "xuncha.fieldwork")).IsValid, "no audience the scope did not grant");
    }

    [Fact]
    public async Task Without_a_scope_the_client_gets_all_of_its_api_scopes()
    {
        var response = await Host.Client.ClientCredentialsAsync(Seeded.Agency);
        response.AssertIssued();
        Assert.Equal(["clues", "planning"], response.Body.GetProperty("scope").GetString()!.Split(' ').Order());
    }

    [Fact]
    public async Task Client_secret_basic_and_client_secret_post_both_work()
    {
        var basic = await Host.Client.ClientCredentialsAsync(Seeded.Agency, "planning", basic: true);
        var post = await Host.Client.ClientCredentialsAsync(Seeded.Agency, "planning", basic: false);
        basic.AssertIssued();
        post.AssertIssued();
        Assert.NotEqual(basic.AccessToken, post.AccessToken);
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client_with_a_basic_challenge_when_basic_was_used()
    {
        var basic = await Host.Client.ClientCredentialsAsync(Seeded.Agency.ClientId, Seeded.Agency.Secret + "x", basic: true);
        basic.AssertError(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Contains(basic.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        var post = await Host.Client.ClientCredentialsAsync(Seeded.Agency.ClientId, "wrong", basic: false);
        post.AssertError(HttpStatusCode.Unauthorized, "invalid_client");

        var unknown = await Host.Client.ClientCredentialsAsync("no-such-client", Seeded.Agency.Secret);
        unknown.AssertError(HttpStatusCode.Unauthorized, "invalid_client");

        var noSecret = await Host.Client.PostFormAsync("/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = Seeded.Agency.ClientId,
        });
        noSecret.AssertError(HttpStatusCode.Unauthorized, "invalid_client");

        using var garbage = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        garbage.Headers.TryAddWithoutValidation("Authorization", "Basic %%%not-base64");
        (await OAuthResponse.ReadAsync(await Host.Client.SendAsync(garbage))).AssertError(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_disabled_client_is_invalid_client()
    {
        using var admin = await Host.AdminAsync();
        var client = await admin.CreateClientAsync("disabled-agency", ["audit"], [PlatformRoles.AuditOfficer]);
        (await Host.Client.ClientCredentialsAsync(client)).AssertIssued();

        using var disabled = await admin.PostAsync($"/admin/clients/{client.ClientId}/disable");
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);

        (await Host.Client.ClientCredentialsAsync(client)).AssertError(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task An_unknown_grant_type_is_unsupported_grant_type()
    {
        var response = await Host.Client.PostFormAsync("/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "x", ["password"] = "y" },
            (Seeded.Agency.ClientId, Seeded.Agency.Secret));
        response.AssertError(HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task A_grant_the_client_is_not_allowed_is_unauthorized_client()
    {
        var response = await Host.Client.PostFormAsync("/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "whatever" },
            (Seeded.Agency.ClientId, Seeded.Agency.Secret));
        response.AssertError(HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Theory]
    [InlineData("fieldwork")]                 // an API the client may not call
    [InlineData("planning staffing")]         // one allowed, one not
    [InlineData("openid")]                    // not an API scope
    [InlineData("no-such-scope")]
    public async Task A_scope_the_client_may_not_have_is_invalid_scope(string scope)
    {
        var response = await Host.Client.ClientCredentialsAsync(Seeded.Agency, scope);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task A_missing_grant_type_is_invalid_request()
    {
        var response = await Host.Client.PostFormAsync("/connect/token", new Dictionary<string, string> { ["scope"] = "planning" },
            (Seeded.Agency.ClientId, Seeded.Agency.Secret));
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_json_body_instead_of_a_form_is_invalid_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = JsonContent.Create(new { grant_type = "client_credentials", client_id = Seeded.Agency.ClientId, client_secret = Seeded.Agency.Secret }),
        };
        var response = await OAuthResponse.ReadAsync(await Host.Client.SendAsync(request));
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_repeated_parameter_is_invalid_request()
    {
        var response = await Host.Client.PostFormAsync("/connect/token",
            [new("grant_type", "client_credentials"), new("scope", "planning"), new("scope", "fieldwork")],
            (Seeded.Agency.ClientId, Seeded.Agency.Secret));
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Two_authentication_methods_at_once_are_invalid_request()
    {
        var response = await Host.Client.PostFormAsync("/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = Seeded.Agency.ClientId, ["client_secret"] = Seeded.Agency.Secret },
            (Seeded.Agency.ClientId, Seeded.Agency.Secret));
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_secret_with_reserved_characters_works_with_basic_encoding()
    {
        var client = await CreateClientDirectly("odd-secret-agency", secret: "a:b+c d%e&f=g/h?i#j");
        (await Host.Client.ClientCredentialsAsync(client, basic: true)).AssertIssued();
        (await Host.Client.ClientCredentialsAsync(client, basic: false)).AssertIssued();
    }

    /// <summary>The admin API never lets anyone choose a secret; this one is written straight into the database.</summary>
    private async Task<SeededClient> CreateClientDirectly(string id, string secret)
    {
        var client = new SeededClient(id, secret, "audit-bureau", Seeded.City, [PlatformRoles.AuditOfficer], ["audit"]);
        await Host.WithDb(async db =>
        {
            db.Clients.Add(new Clients.ApiClient
            {
                ClientId = client.ClientId, DisplayName = "审计局", Agency = client.Agency, Jurisdiction = client.Jurisdiction,
                SecretHash = Clients.ApiClient.Hash(client.Secret), AllowedGrants = ["client_credentials"], AllowedScopes = [.. client.Scopes],
                Roles = [.. client.Roles], CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return client;
    }
}
