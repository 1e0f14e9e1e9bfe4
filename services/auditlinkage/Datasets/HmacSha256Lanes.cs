using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>
/// HMAC-SHA256 of eight short messages at once, one per 32-bit lane of a 256-bit vector (multi-buffer SHA-256): the same
/// bytes as <see cref="HMACSHA256"/>, at a fraction of the per-call cost of the platform's API on an import's million
/// identity numbers. The keyed pads are absorbed once (midstates), so each message costs two compressions.
/// </summary>
internal sealed class HmacSha256Lanes
{
    public const int Lanes = 8;
    public const int HashBytes = 32;
    /// <summary>A message and its padding fit one 64-byte block.</summary>
    public const int MaxMessageBytes = 55;

    private static readonly uint[] Initial = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly byte[] key;
    private readonly uint[] inner = new uint[8];
    private readonly uint[] outer = new uint[8];

    public HmacSha256Lanes(ReadOnlySpan<byte> key)
    {
        this.key = key.ToArray();
        if (key.Length > 64) key = SHA256.HashData(key); // as HMAC does with a key longer than a block
        Span<byte> pad = stackalloc byte[64];
        Span<uint> words = stackalloc uint[16];
        foreach (var (state, mask) in new[] { (inner, (byte)0x36), (outer, (byte)0x5c) })
        {
            pad.Fill(mask);
            for (var i = 0; i < key.Length; i++) pad[i] ^= key[i];
            for (var i = 0; i < 16; i++) words[i] = BinaryPrimitives.ReadUInt32BigEndian(pad[(4 * i)..]);
            Initial.CopyTo(state, 0);
            CompressOne(state, words);
        }
    }

    /// <summary>
    /// The hashes of <paramref name="count"/> (1–8) messages of <paramref name="length"/> bytes each, stored back to back
    /// in <paramref name="messages"/>, into <paramref name="hashes"/> (32 bytes each, same order).
    /// </summary>
    public void Hash(ReadOnlySpan<byte> messages, int length, int count, Span<byte> hashes)
    {
        if (length is < 0 or > MaxMessageBytes) throw new ArgumentOutOfRangeException(nameof(length));
        if (count is < 1 or > Lanes) throw new ArgumentOutOfRangeException(nameof(count));
        if (!Vector256.IsHardwareAccelerated)
        {
            // Without 256-bit vectors (e.g. Arm64) the emulated lanes would be slower than the platform's HMAC.
            for (var i = 0; i < count; i++) HMACSHA256.HashData(key, messages.Slice(i * length, length), hashes.Slice(i * HashBytes, HashBytes));
            return;
        }
        // Message words, lane-interleaved: words[i * 8 + lane] is word i of that lane's padded block.
        Span<byte> block = stackalloc byte[64];
        Span<uint> words = stackalloc uint[16 * Lanes];
        for (var lane = 0; lane < Lanes; lane++)
        {
            block.Clear();
            messages.Slice(Math.Min(lane, count - 1) * length, length).CopyTo(block); // spare lanes repeat the last message
            block[length] = 0x80;
            BinaryPrimitives.WriteUInt64BigEndian(block[56..], (ulong)(64 + length) * 8);
            for (var i = 0; i < 16; i++) words[i * Lanes + lane] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * i)..]);
        }

        Span<Vector256<uint>> w = stackalloc Vector256<uint>[64];
        for (var i = 0; i < 16; i++) w[i] = Vector256.Create<uint>(words.Slice(i * Lanes, Lanes));
        Span<Vector256<uint>> state = stackalloc Vector256<uint>[8];
        for (var i = 0; i < 8; i++) state[i] = Vector256.Create(inner[i]);
        Compress(state, w);

        // The outer block is the inner digest (already one word per lane), the padding bit and the length of pad + digest.
        for (var i = 0; i < 8; i++) w[i] = state[i];
        w[8] = Vector256.Create(0x80000000u);
        for (var i = 9; i < 15; i++) w[i] = Vector256<uint>.Zero;
        w[15] = Vector256.Create((uint)(64 + HashBytes) * 8);
        for (var i = 0; i < 8; i++) state[i] = Vector256.Create(outer[i]);
        Compress(state, w);

        Span<uint> lanes = stackalloc uint[Lanes];
        for (var i = 0; i < 8; i++)
        {
            state[i].CopyTo(lanes);
            for (var lane = 0; lane < count; lane++) BinaryPrimitives.WriteUInt32BigEndian(hashes[(lane * HashBytes + 4 * i)..], lanes[lane]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> x, [ConstantExpected] int n) =>
        Vector256.ShiftRightLogical(x, n) | Vector256.ShiftLeft(x, 32 - n);

    /// <summary>One SHA-256 compression per lane; <paramref name="w"/> holds the 16 block words and room for the schedule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compress(Span<Vector256<uint>> state, Span<Vector256<uint>> w)
    {
        for (var i = 16; i < 64; i++)
        {
            var x = w[i - 15];
            var y = w[i - 2];
            var s0 = Rotate(x, 7) ^ Rotate(x, 18) ^ Vector256.ShiftRightLogical(x, 3);
            var s1 = Rotate(y, 17) ^ Rotate(y, 19) ^ Vector256.ShiftRightLogical(y, 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        Vector256<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var i = 0; i < 64; i++)
        {
            var t1 = h + (Rotate(e, 6) ^ Rotate(e, 11) ^ Rotate(e, 25)) + ((e & f) ^ Vector256.AndNot(g, e)) + Vector256.Create(K[i]) + w[i];
            var t2 = (Rotate(a, 2) ^ Rotate(a, 13) ^ Rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }

    /// <summary>The scalar compression, used only to absorb the keyed pads.</summary>
    private static void CompressOne(uint[] state, ReadOnlySpan<uint> block)
    {
        Span<uint> w = stackalloc uint[64];
        block.CopyTo(w);
        for (var i = 16; i < 64; i++)
        {
            uint x = w[i - 15], y = w[i - 2];
            w[i] = w[i - 16] + (uint.RotateRight(x, 7) ^ uint.RotateRight(x, 18) ^ (x >> 3)) + w[i - 7] + (uint.RotateRight(y, 17) ^ uint.RotateRight(y, 19) ^ (y >> 10));
        }
        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var i = 0; i < 64; i++)
        {
            var t1 = h + (uint.RotateRight(e, 6) ^ uint.RotateRight(e, 11) ^ uint.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            var t2 = (uint.RotateRight(a, 2) ^ uint.RotateRight(a, 13) ^ uint.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}
