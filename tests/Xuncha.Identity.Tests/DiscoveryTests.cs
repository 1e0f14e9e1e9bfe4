using System.Net;
using System.Text.Json;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

[Collection(Servers.Name)]
public sealed class DiscoveryTests(IdentityFixture fixture, PlatformServers servers) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    private Task<JsonElement> Discovery() => Discovery(Host);

    private static async Task<JsonElement> Discovery(IdentityHost host)
    {
        using var response = await host.Client.GetAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task The_issuer_is_the_configured_one_and_every_endpoint_is_derived_from_it()
    {
        var doc = await Discovery();
        Assert.Equal(IdentityHost.Issuer, doc.GetProperty("issuer").GetString());
        Assert.Equal(IdentityHost.Issuer + "/.well-known/jwks.json", doc.GetProperty("jwks_uri").GetString());
        Assert.Equal(IdentityHost.Issuer + "/connect/authorize", doc.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(IdentityHost.Issuer + "/connect/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal(IdentityHost.Issuer + "/connect/userinfo", doc.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(IdentityHost.Issuer + "/connect/revocation", doc.GetProperty("revocation_endpoint").GetString());

        // The issuer in tokens is the very same string.
        var token = (await Host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken;
        Assert.Equal(doc.GetProperty("issuer").GetString(), Jwt.Payload(token).GetProperty("iss").GetString());
    }

    [Theory]
    [InlineData("https://xuncha.example.gov.cn/")]
    [InlineData("https://xuncha.example.gov.cn/auth")]
    public async Task Any_configured_issuer_is_carried_verbatim_in_discovery_redirects_and_tokens(string issuer)
    {
        await using var host = await IdentityHost.StartAsync(servers, new Dictionary<string, string?> { ["Identity:Issuer"] = issuer });
        var doc = await Discovery(host);
        Assert.Equal(issuer, doc.GetProperty("issuer").GetString());
        Assert.Equal(issuer.TrimEnd('/') + "/.well-known/jwks.json", doc.GetProperty("jwks_uri").GetString());
        Assert.Equal(issuer.TrimEnd('/') + "/connect/token", doc.GetProperty("token_endpoint").GetString());

        Assert.Equal(issuer, Jwt.Payload((await host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken).GetProperty("iss").GetString());
        using var browser = host.NewBrowser();
        var request = browser.Request("openid identity.admin");
        var callback = Browser.Query(await browser.SignInAsync(Seeded.Admin.Username, Seeded.Admin.Password, request));
        Assert.Equal(issuer, callback["iss"]);
        var tokens = await browser.RedeemAsync(callback["code"], request.Pkce.Verifier);
        Assert.Equal(issuer, Jwt.Payload(tokens.IdToken).GetProperty("iss").GetString());

        // And identity accepts its own tokens under that issuer.
        using var admin = host.WithToken(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Pkce_is_S256_only_and_the_supported_flows_are_advertised()
    {
        var doc = await Discovery();
        Assert.Equal(["S256"], doc.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["code"], doc.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"],
            doc.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Contains("RS256", doc.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(doc.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task The_jwks_publishes_the_signing_key_as_RS256_with_kid_modulus_and_exponent()
    {
        using var response = await Host.Client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray().ToList();
        var key = Assert.Single(keys);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.True(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()!).Length >= 256, "a 2048-bit modulus");
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
        Assert.False(key.TryGetProperty("d", out _), "no private part is published");

        // It is the key tokens are signed with.
        var token = (await Host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken;
        Assert.Equal(key.GetProperty("kid").GetString(), Jwt.Header(token).GetProperty("kid").GetString());
    }
}
