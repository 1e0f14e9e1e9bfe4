using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Xuncha.Gateway.Tests;

/// <summary>
/// An identity service reduced to its discovery document and JWKS (plus an echo of anything else), so the gateway checks
/// tokens exactly as deployed: metadata from Identity:Url, keys by kid, issuer from discovery.
/// </summary>
public sealed class IdentityStub : IAsyncDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "stub-" + Guid.NewGuid().ToString("N")[..8] };

    private IdentityStub(EchoBackend backend) => Backend = backend;

    public EchoBackend Backend { get; private set; }
    public string Issuer => Backend.Url;

    public static async Task<IdentityStub> StartAsync()
    {
        var stub = new IdentityStub(null!);
        stub.Backend = await EchoBackend.StartAsync("identity", app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = stub.Issuer,
                ["jwks_uri"] = stub.Issuer + "/.well-known/jwks",
                ["token_endpoint"] = stub.Issuer + "/connect/token",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
            app.MapGet("/.well-known/jwks", () =>
            {
                var p = stub.key.Rsa.ExportParameters(includePrivateParameters: false);
                return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = stub.key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
            });
        });
        return stub;
    }

    /// <summary>A token as identity issues it: RS256, kid, aud = one or more API audiences.</summary>
    public string Mint(string[] audiences, string subject = "user-1", DateTime? expires = null, string? issuer = null, SecurityKey? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var notBefore = expires is { } e && e < now ? e.AddHours(-1) : now.AddSeconds(-5);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Claims = new Dictionary<string, object> { ["aud"] = audiences, ["client_id"] = "agency-system" },
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires ?? now.AddMinutes(15),
            SigningCredentials = new SigningCredentials(signingKey ?? key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token ("alg": "none") with otherwise valid claims.</summary>
    public string MintUnsigned(string audience) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            iss = Issuer,
            aud = audience,
            sub = "user-1",
            nbf = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds(),
            exp = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds(),
        })) + ".";

    /// <summary>The same token with its payload changed (a different subject) and the original signature kept.</summary>
    public static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"user-1\"", "\"platform-admin\"");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    public ValueTask DisposeAsync() => Backend.DisposeAsync();
}
