using System.Buffers.Binary;
using System.Text;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>
/// Writes PostgreSQL's binary COPY format straight into the raw COPY stream. Npgsql's typed importer binds a parameter
/// per value, which costs more than the server's own text parsing; encoding the few types the dataset tables use here
/// keeps the client cheaper than the server, so an import runs at the speed of the COPY itself.
/// </summary>
internal sealed class BinaryCopyWriter(Stream copy)
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly DateOnly PostgresEpoch = new(2000, 1, 1);
    private const int FlushAt = 60 * 1024;
    private readonly byte[] buffer = new byte[96 * 1024];
    private int length;

    public void Begin() => Put(Header);

    public void StartRow(short fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), fields);
    }

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    public void Uuid(Guid value)
    {
        var span = Reserve(20);
        BinaryPrimitives.WriteInt32BigEndian(span, 16);
        value.TryWriteBytes(span[4..], bigEndian: true, out _);
    }

    public void Int64(long value)
    {
        var span = Reserve(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value.Length);
        Put(value);
    }

    /// <summary>Text up to 500 characters (the importer's limit), so it always fits the buffer's slack.</summary>
    public void Text(string value)
    {
        var span = Reserve(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var n = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, n);
        length -= span.Length - 4 - n;
    }

    public void Date(DateOnly value)
    {
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value.DayNumber - PostgresEpoch.DayNumber);
    }

    /// <summary>A money amount (two decimals) as PostgreSQL numeric: base-10000 digit groups, weight, sign, scale 2.</summary>
    public void Money(decimal value)
    {
        var cents = (long)decimal.Round(Math.Abs(value) * 100m);
        Span<short> groups = stackalloc short[8];
        var count = 0;
        for (var whole = cents / 100; whole > 0; whole /= 10000) groups[count++] = (short)(whole % 10000);
        groups[..count].Reverse();
        var weight = (short)(count - 1);
        groups[count++] = (short)(cents % 100 * 100);
        var span = Reserve(4 + 8 + 2 * count);
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + 2 * count);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)count);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], weight);
        BinaryPrimitives.WriteInt16BigEndian(span[8..], value < 0 ? (short)0x4000 : (short)0);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], 2);
        for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt16BigEndian(span[(12 + 2 * i)..], groups[i]);
    }

    /// <summary>Between rows: hands a full buffer to the COPY stream.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken ct) => length >= FlushAt ? FlushAsync(ct) : ValueTask.CompletedTask;

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        await FlushAsync(ct);
    }

    private async ValueTask FlushAsync(CancellationToken ct)
    {
        await copy.WriteAsync(buffer.AsMemory(0, length), ct);
        length = 0;
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
    }

    private Span<byte> Reserve(int count)
    {
        if (length + count > buffer.Length) throw new InvalidOperationException("A row exceeded the COPY buffer; flush between rows.");
        var span = buffer.AsSpan(length, count);
        length += count;
        return span;
    }
}
