using System.Text.Unicode;
using System.Text;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>
/// CSV (RFC 4180 quoting, UTF-8 with or without BOM) straight off the request body: each line is split as soon as it
/// has arrived, so progress follows the upload, and nothing but a window of the body is held. Fields are slices of that
/// window — no string per line or per field. A line break always ends a record, so one unbalanced quote cannot swallow
/// the rest of the file; a line over 1 MB stops the import. Bytes that are not UTF-8 read as U+FFFD.
/// </summary>
internal sealed class CsvSource(Stream body) : ITabularSource
{
    private const int MaxLineBytes = 1024 * 1024;
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    // The unread body: window[start..end]; a line is always contiguous in it.
    private byte[] window = new byte[128 * 1024];
    private int start;
    private int end;
    private bool bodyDone;

    // The current record's fields: fieldSource[fieldStarts[i]..fieldStarts[i] + fieldLengths[i]].
    private byte[] fieldSource = [];
    private int[] fieldStarts = new int[16];
    private int[] fieldLengths = new int[16];
    private int fieldCount;
    // Fields that had to be rewritten (quotes removed, or the line re-encoded) live here.
    private byte[] scratch = new byte[4096];

    public long Line { get; private set; }

    public async ValueTask<IReadOnlyList<string>?> ReadHeaderAsync(CancellationToken ct)
    {
        if (!await ReadAsync(ct)) return null;
        var header = new string[fieldCount];
        for (var i = 0; i < fieldCount; i++) header[i] = Encoding.UTF8.GetString(Field(i));
        return header;
    }

    public ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        // Most records are already in the window: no state machine for them.
        while (TryTakeLine(out var lineStart, out var lineLength))
        {
            if (Accept(lineStart, lineLength)) return ValueTask.FromResult(true);
        }
        return ReadMoreAsync(ct);
    }

    private async ValueTask<bool> ReadMoreAsync(CancellationToken ct)
    {
        while (true)
        {
            if (TryTakeLine(out var lineStart, out var lineLength))
            {
                if (Accept(lineStart, lineLength)) return true;
                continue;
            }
            if (bodyDone)
            {
                if (start == end) return false;
                // The last line has no line break.
                (lineStart, lineLength, start) = (start, end - start, end);
                if (Accept(lineStart, lineLength)) return true;
                continue;
            }
            if (end - start > MaxLineBytes) throw new InvalidDataException($"Line {Line + 1} is longer than {MaxLineBytes} bytes.");
            if (start > 0)
            {
                Buffer.BlockCopy(window, start, window, 0, end - start);
                (end, start) = (end - start, 0);
            }
            if (end == window.Length) Array.Resize(ref window, window.Length * 2);
            var n = await body.ReadAsync(window.AsMemory(end), ct);
            if (n == 0) bodyDone = true;
            end += n;
        }
    }

    private bool TryTakeLine(out int lineStart, out int lineLength)
    {
        var newline = window.AsSpan(start, end - start).IndexOf((byte)'\n');
        if (newline < 0)
        {
            (lineStart, lineLength) = (0, 0);
            return false;
        }
        (lineStart, lineLength) = (start, newline);
        start += newline + 1;
        return true;
    }

    /// <summary>Counts the line and splits it; false for a blank line, which is not a record.</summary>
    private bool Accept(int lineStart, int lineLength)
    {
        Line++;
        if (lineLength > 0 && window[lineStart + lineLength - 1] == '\r') lineLength--;
        if (Line == 1)
        {
            while (window.AsSpan(lineStart, lineLength).StartsWith(Bom)) (lineStart, lineLength) = (lineStart + Bom.Length, lineLength - Bom.Length);
        }
        if (lineLength == 0) return false;
        if (!Utf8.IsValid(window.AsSpan(lineStart, lineLength)))
        {
            // Decoding replaces what is not UTF-8 with U+FFFD; the fields are split from the repaired text.
            var repaired = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(window, lineStart, lineLength));
            Split(repaired, 0, repaired.Length);
            return true;
        }
        Split(window, lineStart, lineLength);
        return true;
    }

    private void Split(byte[] owner, int lineStart, int lineLength)
    {
        fieldCount = 0;
        var line = owner.AsSpan(lineStart, lineLength);
        if (line.IndexOf((byte)'"') >= 0)
        {
            SplitQuoted(line);
            return;
        }
        fieldSource = owner;
        var i = 0;
        while (true)
        {
            var comma = line[i..].IndexOf((byte)',');
            var length = comma < 0 ? line.Length - i : comma;
            AddField(lineStart + i, length);
            if (comma < 0) return;
            i += comma + 1;
        }
    }

    /// <summary>
    /// A field that starts with a quote runs to the closing quote ("" is a quote); text after the closing quote belongs to
    /// the field (lenient, as spreadsheets write it). Every field of such a line is copied into the scratch buffer.
    /// </summary>
    private void SplitQuoted(ReadOnlySpan<byte> line)
    {
        if (scratch.Length < line.Length) scratch = new byte[Math.Max(line.Length, scratch.Length * 2)];
        fieldSource = scratch;
        var length = 0;
        var i = 0;
        while (true)
        {
            var fieldStart = length;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { scratch[length++] = (byte)'"'; i += 2; continue; }
                        i++;
                        break;
                    }
                    scratch[length++] = line[i++];
                }
            }
            var comma = line[i..].IndexOf((byte)',');
            var tail = comma < 0 ? line[i..] : line.Slice(i, comma);
            tail.CopyTo(scratch.AsSpan(length));
            length += tail.Length;
            AddField(fieldStart, length - fieldStart);
            if (comma < 0) return;
            i += comma + 1;
        }
    }

    private void AddField(int fieldStart, int length)
    {
        if (fieldCount == fieldStarts.Length)
        {
            Array.Resize(ref fieldStarts, fieldCount * 2);
            Array.Resize(ref fieldLengths, fieldCount * 2);
        }
        fieldStarts[fieldCount] = fieldStart;
        fieldLengths[fieldCount] = length;
        fieldCount++;
    }

    public ReadOnlySpan<byte> Field(int index) =>
        index < fieldCount ? fieldSource.AsSpan(fieldStarts[index], fieldLengths[index]) : default;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
