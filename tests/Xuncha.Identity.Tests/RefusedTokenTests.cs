using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Xuncha.Identity.Keys;
using Xuncha.Identity.Tests.Infrastructure;

namespace Xuncha.Identity.Tests;

/// <summary>
/// Tokens identity's own resource endpoints (the admin API) must refuse. Each bad token differs from an accepted one
/// in exactly one way; the accepted one is checked first, so a refusal is never for some other reason.
/// </summary>
[Collection(Servers.Name)]
public sealed class RefusedTokenTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    private async Task<HttpResponseMessage> ListUsers(string token)
    {
        using var http = Host.WithToken(token);
        return await http.GetAsync("/admin/users");
    }

    private async Task AssertRefused(string token)
    {
        using var response = await ListUsers(token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    private async Task AssertAccepted(string token)
    {
        using var response = await ListUsers(token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"control token refused: {(int)response.StatusCode} {response.Headers.WwwAuthenticate}");
    }

    /// <summary>The claims identity would put in the seeded admin's token.</summary>
    private async Task<Dictionary<string, object>> AdminClaims(string audience = "xuncha.identity")
    {
        var adminId = await Host.WithDb(db => db.Users.Where(u => u.UserName == Seeded.Admin.Username).Select(u => u.Id).SingleAsync());
        return new Dictionary<string, object>
        {
            ["sub"] = adminId, ["client_id"] = Seeded.WebClient, ["jurisdiction"] = Seeded.Admin.Jurisdiction, ["agency"] = Seeded.Admin.Agency,
            ["roles"] = Seeded.Admin.Roles, ["scope"] = "openid identity.admin", ["aud"] = new[] { audience }, ["jti"] = Guid.NewGuid().ToString("N"),
        };
    }

    private async Task<RsaSecurityKey> SigningKey() => (await Host.Services.GetRequiredService<SigningKeyStore>().CurrentAsync()).Rsa;

    private static DateTime Now => DateTime.UtcNow;

    [Fact]
    public async Task A_token_minted_like_identitys_own_is_accepted()
    {
        await AssertAccepted(Jwt.Sign(await SigningKey(), await AdminClaims(), Now, Now.AddMinutes(5)));
        await AssertAccepted(await Host.UserTokenAsync(Seeded.Admin));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var key = await SigningKey();
        var claims = await AdminClaims();
        await AssertAccepted(Jwt.Sign(key, claims, Now.AddMinutes(-10), Now.AddMinutes(1)));
        await AssertRefused(Jwt.Sign(key, claims, Now.AddMinutes(-20), Now.AddMinutes(-2)));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        await AssertRefused(Jwt.Sign(await SigningKey(), await AdminClaims(), Now.AddMinutes(5), Now.AddMinutes(15)));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        await AssertRefused(Jwt.Sign(await SigningKey(), await AdminClaims("xuncha.planning"), Now, Now.AddMinutes(5)));
        // And a real one, issued for another API.
        await AssertRefused((await Host.Client.ClientCredentialsAsync(Seeded.Agency, "planning")).AccessToken);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        await AssertRefused(Jwt.Sign(await SigningKey(), await AdminClaims(), Now, Now.AddMinutes(5), issuer: "http://127.0.0.1:9999"));
        await AssertRefused(Jwt.Sign(await SigningKey(), await AdminClaims(), Now, Now.AddMinutes(5), issuer: IdentityHost.Issuer + "/"));
    }

    [Fact]
    public async Task A_real_token_with_a_tampered_payload_is_refused()
    {
        var staffToken = await Host.UserTokenAsync(Seeded.Staff);
        using (var forbidden = await ListUsers(staffToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        var parts = staffToken.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Jwt.Payload(staffToken).GetRawText())!;
        var escalated = claims.ToDictionary(c => c.Key, c => (object)c.Value);
        escalated["roles"] = Seeded.Admin.Roles;
        escalated["jurisdiction"] = Seeded.City;
        await AssertRefused($"{parts[0]}.{Jwt.Encode(escalated)}.{parts[2]}");
    }

    [Fact]
    public async Task A_token_signed_by_a_foreign_key_with_the_real_kid_is_refused()
    {
        var real = await SigningKey();
        using var rsa = RSA.Create(2048);
        var foreign = new RsaSecurityKey(rsa) { KeyId = real.KeyId };
        await AssertRefused(Jwt.Sign(foreign, await AdminClaims(), Now, Now.AddMinutes(5)));
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        var valid = Jwt.Sign(await SigningKey(), await AdminClaims(), Now, Now.AddMinutes(5));
        await AssertAccepted(valid);
        var kid = Jwt.Header(valid).GetProperty("kid").GetString()!;
        var payload = valid.Split('.')[1];
        await AssertRefused($"{Jwt.Encode(new { alg = "none", typ = "at+jwt", kid })}.{payload}.");
        await AssertRefused($"{Jwt.Encode(new { alg = "none", typ = "at+jwt" })}.{payload}.");
        await AssertRefused($"{Jwt.Encode(new { alg = "RS256", typ = "at+jwt", kid })}.{payload}.");
    }

    [Fact]
    public async Task A_token_signed_with_HS256_using_the_public_key_as_secret_is_refused()
    {
        var real = await SigningKey();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(real.Rsa.ExportParameters(false)) { KeyId = real.KeyId });
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { jwk.E, jwk.N, jwk.Kty }) + new string('x', 32))) { KeyId = real.KeyId };
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentityHost.Issuer, Claims = await AdminClaims(), IssuedAt = Now, NotBefore = Now, Expires = Now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });
        await AssertRefused(token);
    }

    [Fact]
    public async Task Garbage_is_refused()
    {
        await AssertRefused("not-a-jwt");
        await AssertRefused("a.b.c");
    }
}
