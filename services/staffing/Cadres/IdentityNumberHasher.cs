using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Xuncha.Staffing.Cadres;

/// <summary>
/// Identity numbers are never stored: a keyed hash (HMAC-SHA256, key "Staffing:IdentityHashKey") lets an import match
/// a person already in the pool, and without the key the hashes cannot be reversed by enumerating the number space.
/// </summary>
public sealed partial class IdentityNumberHasher
{
    private readonly byte[] key;

    public IdentityNumberHasher(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Staffing:IdentityHashKey"];
        if (string.IsNullOrEmpty(configured))
        {
            // Only a developer's machine may run without a key; anywhere else the hashes would be guessable.
            configured = environment.IsDevelopment() ? "development-only-identity-hash-key-not-for-production"
                : throw new InvalidOperationException("Staffing:IdentityHashKey is not configured (at least 32 characters).");
        }
        if (configured.Length < 32)
        {
            throw new InvalidOperationException("Staffing:IdentityHashKey must be at least 32 characters.");
        }
        key = Encoding.UTF8.GetBytes(configured);
    }

    public static string Normalize(string identityNumber) => identityNumber.Trim().ToUpperInvariant();

    /// <summary>An 18-character resident identity number with a valid ISO 7064 check character.</summary>
    public static bool IsValid(string identityNumber)
    {
        var n = Normalize(identityNumber);
        if (!Shape().IsMatch(n)) return false;
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (n[i] - '0') * weights[i];
        return "10X98765432"[sum % 11] == n[17];
    }

    public string Hash(string identityNumber) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Normalize(identityNumber))));

    [GeneratedRegex("^[0-9]{17}[0-9X]$")]
    private static partial Regex Shape();
}
