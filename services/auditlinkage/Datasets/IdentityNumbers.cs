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

    /// <summary>One hasher per import: it batches numbers, so it must not be shared between threads.</summary>
    public Hasher CreateHasher() => new(new HmacSha256Lanes(key));

    /// <summary>
    /// Hashes numbers eight at a time (<see cref="HmacSha256Lanes"/>): <see cref="Add"/> queues a number with where
    /// its hash goes, <see cref="Complete"/> (at the latest before the destination is read) writes the hashes.
    /// </summary>
    public sealed class Hasher
    {
        private const int Batch = HmacSha256Lanes.Lanes;
        private readonly HmacSha256Lanes lanes;
        private readonly byte[] numbers = new byte[Batch * Length];
        private readonly byte[] hashes = new byte[Batch * HmacSha256Lanes.HashBytes];
        private readonly int[] destinations = new int[Batch];
        private byte[] destination = [];

        internal Hasher(HmacSha256Lanes lanes) => this.lanes = lanes;

        private long added;

        /// <summary>Numbers queued and not yet written.</summary>
        public int Pending { get; private set; }

        /// <summary>How many numbers were ever queued: a mark to <see cref="Undo"/> to.</summary>
        public long Mark => added;

        /// <summary>
        /// Queues a number already checked by <see cref="TryNormalize(ReadOnlySpan{byte}, Span{byte})"/>; its 32-byte hash
        /// goes to <paramref name="target"/>[<paramref name="offset"/>..]. A change of target writes the queue first.
        /// </summary>
        public void Add(ReadOnlySpan<byte> normalized, byte[] target, int offset)
        {
            if (Pending > 0 && !ReferenceEquals(target, destination)) Complete();
            destination = target;
            normalized[..Length].CopyTo(numbers.AsSpan(Pending * Length));
            destinations[Pending++] = offset;
            added++;
            if (Pending == Batch) Complete();
        }

        /// <summary>Forgets the numbers queued since <paramref name="mark"/> and not yet written (a row that turned out bad).</summary>
        public void Undo(long mark)
        {
            var since = (int)Math.Min(added - mark, Pending);
            Pending -= since;
            added = mark;
        }

        public void Complete()
        {
            if (Pending == 0) return;
            lanes.Hash(numbers, Length, Pending, hashes);
            for (var i = 0; i < Pending; i++)
            {
                hashes.AsSpan(i * HmacSha256Lanes.HashBytes, HmacSha256Lanes.HashBytes).CopyTo(destination.AsSpan(destinations[i]));
            }
            Pending = 0;
        }

    }

    public const int Length = 18;
    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>An 18-character number with a valid ISO 7064 MOD 11-2 check character, upper-cased.</summary>
    public static bool TryNormalize(ReadOnlySpan<char> raw, Span<char> normalized)
    {
        raw = raw.Trim();
        if (raw.Length != Length) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = raw[i];
            if (c is < '0' or > '9') return false;
            sum += (c - '0') * Weights[i];
            normalized[i] = c;
        }
        var check = char.ToUpperInvariant(raw[17]);
        normalized[17] = check;
        return CheckCharacters[sum % 11] == check;
    }

    /// <summary>
    /// <see cref="TryNormalize(ReadOnlySpan{char}, Span{char})"/> for a trimmed UTF-8 field: 18 ASCII characters into
    /// <paramref name="normalized"/>.
    /// </summary>
    public static bool TryNormalize(ReadOnlySpan<byte> raw, Span<byte> normalized)
    {
        // Anything but ASCII makes the byte count differ from 18 or fails the digit and check-character tests below.
        if (raw.Length != Length) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = raw[i];
            if (c is < (byte)'0' or > (byte)'9') return false;
            sum += (c - '0') * Weights[i];
            normalized[i] = c;
        }
        var check = raw[17] == 'x' ? (byte)'X' : raw[17];
        normalized[17] = check;
        return CheckCharacters[sum % 11] == check;
    }

    /// <summary>The masked form (region code, eight stars, last four) of a normalized number, as 18 UTF-8 bytes.</summary>
    public static void Mask(ReadOnlySpan<byte> normalized, Span<byte> masked)
    {
        normalized[..6].CopyTo(masked);
        "********"u8.CopyTo(masked[6..]);
        normalized[14..Length].CopyTo(masked[14..]);
    }
}
