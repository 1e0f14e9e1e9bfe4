using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Xuncha.ServiceDefaults.Http;

/// <summary>
/// Remembers tokens that passed validation, so a client's repeated calls cost one RS256 check instead of one per request
/// (the gateway and then the service each validate). A hit is served only until the token's own expiry, and at most
/// a few minutes after the check; every hit gets a fresh copy of the identity, so no request can alter another's.
/// </summary>
internal sealed class ValidatedTokenCache : JsonWebTokenHandler
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(2);
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = DateTime.UtcNow;
        if (cache.TryGetValue(token, out TokenValidationResult? hit) && hit!.SecurityToken.ValidTo > now)
        {
            return Copy(hit);
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } jwt && jwt.ValidTo > now)
        {
            var until = jwt.ValidTo < now + MaxAge ? jwt.ValidTo : now + MaxAge;
            cache.Set(token, result, new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
            return Copy(result);
        }
        return result;
    }

    private static TokenValidationResult Copy(TokenValidationResult r) => new()
    {
        IsValid = true,
        SecurityToken = r.SecurityToken,
        ClaimsIdentity = r.ClaimsIdentity.Clone(),
        Issuer = r.Issuer,
        TokenType = r.TokenType,
    };
}
