using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Xuncha.Identity.Keys;

/// <summary>
/// The key-encryption key (Identity:KeyEncryptionKey, base64 of 32 bytes) and AES-GCM sealing with it: everything
/// identity keeps that could forge its output — token signing keys and the data-protection keys behind its cookies
/// and antiforgery tokens — is stored sealed, so a copy of the database alone does not give them away.
/// </summary>
public sealed class KeyEncryption(IOptions<TokenServiceOptions> options, IHostEnvironment environment)
{
    private readonly byte[] kek = Load(options.Value, environment);

    private static byte[] Load(TokenServiceOptions o, IHostEnvironment env)
    {
        if (!string.IsNullOrWhiteSpace(o.KeyEncryptionKey))
        {
            var key = Convert.FromBase64String(o.KeyEncryptionKey);
            return key.Length == 32 ? key : throw new InvalidOperationException("Identity:KeyEncryptionKey must be base64 of 32 bytes");
        }
        if (env.IsDevelopment() || env.IsEnvironment("Testing"))
        {
            // Development only: a fixed, public key-encryption key. Any other environment must supply its own.
            return SHA256.HashData("xuncha-development-key-encryption-key"u8);
        }
        throw new InvalidOperationException("Identity:KeyEncryptionKey is required outside Development");
    }

    /// <summary>nonce (12) ‖ tag (16) ‖ ciphertext.</summary>
    public byte[] Seal(byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var cipher = new byte[plaintext.Length];
        using var aes = new AesGcm(kek, 16);
        aes.Encrypt(nonce, plaintext, cipher, tag);
        return [.. nonce, .. tag, .. cipher];
    }

    public byte[] Unseal(byte[] sealedValue)
    {
        if (sealedValue.Length < 28) throw new CryptographicException("Sealed value too short.");
        var plain = new byte[sealedValue.Length - 28];
        using var aes = new AesGcm(kek, 16);
        aes.Decrypt(sealedValue.AsSpan(0, 12), sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), plain);
        return plain;
    }
}

/// <summary>Data-protection key XML sealed with the key-encryption key before it is written to identitydb.</summary>
public sealed class SealedXmlEncryptor(KeyEncryption encryption) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedXml = encryption.Seal(System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        return new EncryptedXmlInfo(new XElement("sealed", Convert.ToBase64String(sealedXml)), typeof(SealedXmlDecryptor));
    }
}

/// <summary>Created by the data-protection system (by type name, with the service provider) to open sealed key XML.</summary>
public sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(System.Text.Encoding.UTF8.GetString(services.GetRequiredService<KeyEncryption>().Unseal(Convert.FromBase64String(encryptedElement.Value))));
}
