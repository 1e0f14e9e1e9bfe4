namespace Xuncha.Identity;

/// <summary>Settings under "Identity" (Identity__Issuer, Identity__AccessTokenMinutes, …).</summary>
public sealed class TokenServiceOptions
{
    /// <summary>The public base URL at the gateway: identical in discovery and in every token.</summary>
    public string Issuer { get; set; } = "http://127.0.0.1:8080";
    public int AccessTokenMinutes { get; set; } = 15;
    public int RefreshTokenDays { get; set; } = 14;
    /// <summary>
    /// Seconds after its use in which a spent refresh token may be presented again — a client retrying a refresh whose
    /// answer it lost — and get new tokens instead of the whole family being revoked as stolen. 0 (the default) allows
    /// no retry; the trade-off is that a copy used within the window goes unnoticed. At most 120.
    /// </summary>
    public int RefreshRetrySeconds { get; set; }
    public int AuthorizationCodeSeconds { get; set; } = 60;
    /// <summary>A new signing key is published this long before it signs, so services' cached key sets already hold it.</summary>
    public int KeyPropagationSeconds { get; set; } = 600;
    /// <summary>How long the key set is cached in this process (other replicas see a rotation within this time).</summary>
    public int KeyCacheSeconds { get; set; } = 30;
    /// <summary>Base64 of 32 bytes that encrypts signing keys at rest. Required outside Development.</summary>
    public string? KeyEncryptionKey { get; set; }
    /// <summary>Where the development seed writes its credentials (the apphost sets .xuncha/dev-credentials.json).</summary>
    public string? DevCredentialsPath { get; set; }
    public int TokenRequestsPerMinute { get; set; } = 300;
    public int LoginAttemptsPerMinute { get; set; } = 20;

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(Math.Clamp(AccessTokenMinutes, 1, 60));
}
