using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>Reading and validating tokens the way a relying service does: from the published JWKS only.</summary>
public static class Jwt
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static JsonElement Header(string token) => Segment(token, 0);
    public static JsonElement Payload(string token) => Segment(token, 1);

    private static JsonElement Segment(string token, int index) =>
        JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[index])).RootElement.Clone();

    public static string Encode(object json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(json)));

    public static string[] Audiences(string token) => Payload(token).GetProperty("aud") switch
    {
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Select(x => x.GetString()!).ToArray(),
        var s => [s.GetString()!],
    };

    public static async Task<JsonWebKeySet> FetchJwksAsync(HttpClient http)
    {
        var json = await http.GetStringAsync("/.well-known/jwks.json");
        return new JsonWebKeySet(json);
    }

    public static IReadOnlyList<string> KeyIds(JsonWebKeySet jwks) => jwks.Keys.Select(k => k.Kid).ToList();

    /// <summary>
    /// Validates signature (keys from <paramref name="jwks"/> only, RS256 only), issuer, audience and lifetime; lifetime
    /// against <paramref name="clock"/> when given (tests that move identity's clock move the relying party's too).
    /// </summary>
    public static Task<TokenValidationResult> ValidateAsync(string token, JsonWebKeySet jwks, string audience, TimeProvider? clock = null)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = IdentityHost.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            TryAllIssuerSigningKeys = false,
        };
        if (clock is not null)
        {
            parameters.LifetimeValidator = (notBefore, expires, _, _) =>
                notBefore <= clock.GetUtcNow().UtcDateTime && expires > clock.GetUtcNow().UtcDateTime;
        }
        return Handler.ValidateTokenAsync(token, parameters);
    }

    public static async Task AssertValidAsync(string token, JsonWebKeySet jwks, string audience, TimeProvider? clock = null)
    {
        var result = await ValidateAsync(token, jwks, audience, clock);
        Assert.True(result.IsValid, $"token with kid {Header(token).GetProperty("kid")} did not validate against keys [{string.Join(", ", KeyIds(jwks))}]: {result.Exception?.Message}");
    }

    /// <summary>Signs <paramref name="claims"/> with <paramref name="key"/>: tokens no issuer would issue, to prove they are refused.</summary>
    public static string Sign(SecurityKey key, IDictionary<string, object> claims, DateTime issuedAt, DateTime expires, string issuer = IdentityHost.Issuer) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
}
