using System.Security.Cryptography;
using System.Text.Json;

namespace Xuncha.Fieldwork.Intake;

/// <summary>The reporter's identity as the group leader may read it; never logged, never in an event.</summary>
public sealed record ReporterIdentity(string Name, string Phone, string? Contact)
{
    // Records print their members; a stray log line or exception must not.
    public override string ToString() => "ReporterIdentity(sealed)";
}

/// <summary>
/// Seals reporters' identities with AES-GCM under Fieldwork:ReporterKey (32 bytes, base64). The petition id is bound as
/// associated data, so a sealed identity copied onto another petition does not open.
/// Layout: nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class ReporterVault
{
    private const int NonceSize = 12, TagSize = 16;
    private readonly byte[] key;

    public ReporterVault(IConfiguration configuration)
    {
        var configured = configuration["Fieldwork:ReporterKey"];
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException("Fieldwork:ReporterKey is not configured (32 random bytes, base64).");
        key = Convert.FromBase64String(configured);
        if (key.Length != 32) throw new InvalidOperationException("Fieldwork:ReporterKey must be 32 bytes.");
    }

    public byte[] Seal(Guid petitionId, ReporterIdentity identity)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(identity);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), petitionId.ToByteArray());
        CryptographicOperations.ZeroMemory(plain);
        return sealedBytes;
    }

    public ReporterIdentity Open(Guid petitionId, byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, petitionId.ToByteArray());
        return JsonSerializer.Deserialize<ReporterIdentity>(plain)!;
    }
}
