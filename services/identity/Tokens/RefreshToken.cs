using System.Security.Cryptography;
using Xuncha.Identity.Clients;

namespace Xuncha.Identity.Tokens;

/// <summary>
/// A one-use refresh token (only its hash is stored). Each use spends it and issues the next in the same family; using a
/// spent one means it was stolen, so the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; init; }
    public required string TokenHash { get; init; }
    public Guid FamilyId { get; init; }
    public required string UserId { get; init; }
    public required string ClientId { get; init; }
    public List<string> Scopes { get; init; } = [];
    public DateTimeOffset AuthTime { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ConsumedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static (RefreshToken Row, string Value) Issue(Guid family, string userId, string clientId, List<string> scopes, DateTimeOffset authTime, DateTimeOffset now, TimeSpan lifetime)
    {
        var value = ApiClient.Base64Url(RandomNumberGenerator.GetBytes(32));
        return (new RefreshToken
        {
            Id = Guid.NewGuid(),
            TokenHash = ApiClient.Hash(value),
            FamilyId = family,
            UserId = userId,
            ClientId = clientId,
            Scopes = scopes,
            AuthTime = authTime,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        }, value);
    }
}

/// <summary>A one-use authorization code bound to client, redirect URI and PKCE challenge (only its hash is stored).</summary>
public sealed class AuthorizationCode
{
    public required string CodeHash { get; init; }
    public required string ClientId { get; init; }
    public required string UserId { get; init; }
    public required string RedirectUri { get; init; }
    public List<string> Scopes { get; init; } = [];
    public required string CodeChallenge { get; init; }
    public string? Nonce { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ConsumedAt { get; set; }
    /// <summary>The refresh-token family its redemption started (revoked if the code is replayed).</summary>
    public Guid? IssuedFamily { get; set; }
}
