using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Keys;

namespace Xuncha.Identity.Tokens;

/// <summary>Who a token speaks for: a person (authorization code) or an agency's system (client credentials).</summary>
public sealed record TokenSubject(string Subject, string Jurisdiction, string Agency, IReadOnlyList<string> Roles, string? Name = null);

public sealed class TokenIssuer(SigningKeyStore keys, IOptions<TokenServiceOptions> options, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<(string Token, int ExpiresIn)> AccessTokenAsync(TokenSubject who, string clientId, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        var (_, key) = await keys.CurrentAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = options.Value.AccessTokenLifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = who.Subject,
            ["client_id"] = clientId,
            ["jurisdiction"] = who.Jurisdiction,
            ["agency"] = who.Agency,
            ["roles"] = who.Roles.ToArray(),
            ["scope"] = string.Join(' ', scopes),
            ["jti"] = ApiClient.Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["aud"] = ApiScopes.Audiences(scopes).ToArray(),
        };
        if (who.Name is not null) claims["name"] = who.Name;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
        return (token, (int)lifetime.TotalSeconds);
    }

    public async Task<string> IdTokenAsync(TokenSubject who, string clientId, string? nonce, DateTimeOffset authTime, CancellationToken ct)
    {
        var (_, key) = await keys.CurrentAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = who.Subject,
            ["aud"] = clientId,
            ["auth_time"] = authTime.ToUnixTimeSeconds(),
            ["jurisdiction"] = who.Jurisdiction,
            ["agency"] = who.Agency,
        };
        if (nonce is not null) claims["nonce"] = nonce;
        if (who.Name is not null) claims["name"] = who.Name;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Value.AccessTokenLifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
