using System.Security.Cryptography;
using System.Text;

namespace Xuncha.Identity.Clients;

/// <summary>An agency's system (or a browser app) allowed to obtain tokens.</summary>
public sealed class ApiClient
{
    public required string ClientId { get; init; }
    /// <summary>SHA-256 of the secret; secrets are 256-bit random, so a fast hash is enough. Null for public (PKCE) clients.</summary>
    public string? SecretHash { get; set; }
    public required string DisplayName { get; set; }
    public required string Agency { get; set; }
    public required string Jurisdiction { get; set; }
    public List<string> AllowedGrants { get; set; } = [];
    public List<string> AllowedScopes { get; set; } = [];
    /// <summary>Roles the client's own tokens carry (client_credentials).</summary>
    public List<string> Roles { get; set; } = [];
    public List<string> RedirectUris { get; set; } = [];
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SecretRotatedAt { get; set; }
    public uint Version { get; set; }

    public bool IsPublic => SecretHash is null;

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public bool SecretMatches(string? secret) =>
        SecretHash is not null && secret is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash), Encoding.ASCII.GetBytes(Hash(secret)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
