using System.Security.Cryptography;
using System.Text;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>
/// 居民身份证号 are never stored. Matching across datasets uses a keyed hash (HMAC-SHA256, key
/// "AuditLinkage:IdentityHashKey"): without the key the 10^17-ish number space cannot be enumerated back. Reading uses a
/// masked form (region code and last four). The full number stays with the providing agency, which is asked for it
/// when a hit becomes a case — so no raw value exists here for anyone to leak.
/// </summary>
public sealed class IdentityNumbers
{
    private readonly byte[] key;

    public IdentityNumbers(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["AuditLinkage:IdentityHashKey"];
        if (string.IsNullOrEmpty(configured))
        {
            // Only a developer's (or test) machine may run without a key; anywhere else the hashes would be guessable.
            configured = environment.IsDevelopment() || environment.IsEnvironment("Testing")
                ? "development-only-identity-hash-key-not-for-production"
                : throw new InvalidOperationException("AuditLinkage:IdentityHashKey is not configured (at least 32 characters).");
        }
        if (configured.Length < 32)
        {
            throw new InvalidOperationException("AuditLinkage:IdentityHashKey must be at least 32 characters.");
        }
        key = Encoding.UTF8.GetBytes(configured);
    }

    /// <summary>One hasher per import: it keeps the keyed state, so it must not be shared between threads.</summary>
    public Hasher CreateHasher() => new(IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));

    public sealed class Hasher(IncrementalHash hmac) : IDisposable
    {
        /// <summary>The 32-byte hash of a number already checked by <see cref="TryNormalize"/>, into <paramref name="hash"/>.</summary>
        public void Hash(ReadOnlySpan<char> normalized, Span<byte> hash)
        {
            Span<byte> ascii = stackalloc byte[18];
            var n = Encoding.ASCII.GetBytes(normalized, ascii);
            hmac.AppendData(ascii[..n]);
            hmac.GetHashAndReset(hash);
        }

        public void Dispose() => hmac.Dispose();
    }

    /// <summary>An 18-character number with a valid ISO 7064 MOD 11-2 check character, upper-cased.</summary>
    public static bool TryNormalize(ReadOnlySpan<char> raw, Span<char> normalized)
    {
        raw = raw.Trim();
        if (raw.Length != 18) return false;
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = raw[i];
            if (c is < '0' or > '9') return false;
            sum += (c - '0') * weights[i];
            normalized[i] = c;
        }
        var check = char.ToUpperInvariant(raw[17]);
        normalized[17] = check;
        return "10X98765432"[sum % 11] == check;
    }

    public static string Mask(ReadOnlySpan<char> normalized) => string.Concat(normalized[..6], "********", normalized[14..]);
}
