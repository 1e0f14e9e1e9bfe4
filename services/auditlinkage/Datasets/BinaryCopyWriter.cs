using System.Buffers.Binary;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>
/// Writes PostgreSQL's binary COPY format straight into the raw COPY stream. Npgsql's typed importer binds a parameter
/// per value, which costs more than the server's own text parsing; encoding the few types the dataset tables use here
/// keeps the client cheaper than the server. Two buffers alternate: one is sent while the next rows fill the other, so
/// parsing goes on while the server is still taking the previous batch.
/// </summary>
internal sealed class BinaryCopyWriter(Stream copy)
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly DateOnly PostgresEpoch = new(2000, 1, 1);
    private const int FlushAt = 192 * 1024;
    /// <summary>Room for the largest row after <see cref="FlushAt"/>: ten columns of 500 characters are under 16 kB.</summary>
    private const int Capacity = FlushAt + 64 * 1024;
    private byte[] buffer = new byte[Capacity];
    private byte[] spare = new byte[Capacity];
    private int length;
    private Task sending = Task.CompletedTask;

    /// <summary>The array rows are being written into (until the next flush); see <see cref="HashSlot"/>.</summary>
    public byte[] Buffer => buffer;

    /// <summary>Where the next byte goes; a row that turns out bad is undone with <see cref="Rewind"/>.</summary>
    public int Position => length;

    public void Rewind(int position) => length = position;

    public bool IsFull => length >= FlushAt;

    public void Begin() => Header.CopyTo(Reserve(Header.Length));

    public void StartRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), fields);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    public void Uuid(Guid value)
    {
        var span = Reserve(20);
        BinaryPrimitives.WriteInt32BigEndian(span, 16);
        value.TryWriteBytes(span[4..], bigEndian: true, out _);
    }

    public void Int32(int value)
    {
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
    }

    public void Int64(long value)
    {
        var span = Reserve(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    /// <summary>A bytea of 32 bytes whose content comes later (a keyed hash); returns the offset of those bytes.</summary>
    public int HashSlot()
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4 + 32), 32);
        return length - 32;
    }

    /// <summary>Text already known to be valid UTF-8, of at most 500 characters (the importer's limit).</summary>
    public void Text(ReadOnlySpan<byte> utf8)
    {
        var span = Reserve(4 + utf8.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, utf8.Length);
        utf8.CopyTo(span[4..]);
    }

    public void Date(DateOnly value)
    {
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value.DayNumber - PostgresEpoch.DayNumber);
    }

    /// <summary>
    /// Text of any length. What does not fit is sent in buffer-sized pieces, so this is only for rows without a pending
    /// <see cref="HashSlot"/>: a piece may leave before the row is complete.
    /// </summary>
    public async ValueTask TextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), utf8.Length);
        while (true)
        {
            var piece = Math.Min(utf8.Length, buffer.Length - length);
            utf8.Span[..piece].CopyTo(Reserve(piece));
            utf8 = utf8[piece..];
            if (utf8.IsEmpty) return;
            await FlushAsync(ct);
        }
    }

    /// <summary>A money amount in cents as PostgreSQL numeric: base-10000 digit groups, weight, sign, scale 2.</summary>
    public void Money(long cents)
    {
        var magnitude = (ulong)Math.Abs(cents);
        Span<short> groups = stackalloc short[8];
        var count = 0;
        for (var whole = magnitude / 100; whole > 0; whole /= 10000) groups[count++] = (short)(whole % 10000);
        groups[..count].Reverse();
        var weight = (short)(count - 1);
        groups[count++] = (short)(magnitude % 100 * 100);
        var span = Reserve(4 + 8 + 2 * count);
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + 2 * count);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)count);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], weight);
        BinaryPrimitives.WriteInt16BigEndian(span[8..], cents < 0 ? (short)0x4000 : (short)0);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], 2);
        for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt16BigEndian(span[(12 + 2 * i)..], groups[i]);
    }

    /// <summary>Rounded to cents as a numeric(18,2) column would round it.</summary>
    public void Money(decimal amount) => Money(decimal.ToInt64(decimal.Round(amount * 100, MidpointRounding.AwayFromZero)));

    /// <summary>
    /// Between rows, with every <see cref="HashSlot"/> filled: waits for the previous batch to be sent, starts sending
    /// this one and switches to the other buffer.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken ct)
    {
        await sending;
        sending = copy.WriteAsync(buffer.AsMemory(0, length), ct).AsTask();
        (buffer, spare) = (spare, buffer);
        length = 0;
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        await FlushAsync(ct);
        await sending;
    }

    /// <summary>Before cancelling the COPY: lets a send in progress end (its failure is the caller's failure already).</summary>
    public async ValueTask AbandonAsync()
    {
        try
        {
            await sending;
        }
        catch
        {
            // The import is failing for another reason, or for this one; either way the COPY is cancelled next.
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (length + count > buffer.Length) throw new InvalidOperationException("A row exceeded the COPY buffer; flush between rows.");
        var span = buffer.AsSpan(length, count);
        length += count;
        return span;
    }
}
