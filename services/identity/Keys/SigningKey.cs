namespace Xuncha.Identity.Keys;

/// <summary>An RS256 key: published from creation, signs from <see cref="ActivatesAt"/>, unpublished after <see cref="RetiresAt"/>.</summary>
public sealed class SigningKey
{
    public required string KeyId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ActivatesAt { get; init; }
    public DateTimeOffset? RetiresAt { get; set; }
    /// <summary>PKCS#8 private key sealed with AES-GCM under the key-encryption key: nonce(12) | tag(16) | ciphertext.</summary>
    public required byte[] SealedPrivateKey { get; init; }
    public required string Modulus { get; init; }
    public required string Exponent { get; init; }
}
