using System.Globalization;
using System.Text;
using System.Buffers;
using System.IO.Pipelines;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>Rows of a CSV or Excel file, one at a time: the header first, then data rows with their line numbers.</summary>
internal interface ITabularSource : IAsyncDisposable
{
    ValueTask<IReadOnlyList<string>?> ReadHeaderAsync(CancellationToken ct);
    ValueTask<bool> ReadAsync(CancellationToken ct);
    /// <summary>The field at <paramref name="index"/> of the current row ("" when the row is shorter).</summary>
    string Field(int index);
    long Line { get; }
}

/// <summary>
/// CSV (RFC 4180 quoting, UTF-8 with or without BOM) straight off the request body: each line is parsed as soon as it
/// has arrived, so progress follows the upload, and nothing but the current line is held. A line break always ends a
/// record, so one unbalanced quote cannot swallow the rest of the file; a line over 1 MB stops the import.
/// </summary>
internal sealed class CsvSource(Stream body) : ITabularSource
{
    private const int MaxLineBytes = 1024 * 1024;
    private readonly PipeReader pipe = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
    private readonly List<string> fields = [];
    private readonly StringBuilder quoted = new();
    private bool completed;

    public long Line { get; private set; }

    public async ValueTask<IReadOnlyList<string>?> ReadHeaderAsync(CancellationToken ct) =>
        await ReadAsync(ct) ? [.. fields] : null;

    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var line = await NextLineAsync(ct);
            if (line is null) return false;
            Line++;
            if (line.Length == 0) continue; // blank lines are not records
            Split(Line == 1 ? line.TrimStart('\uFEFF') : line);
            return true;
        }
    }

    public string Field(int index) => index < fields.Count ? fields[index] : "";

    // The lines of one read are taken from its buffer without going back to the pipe.
    private ReadOnlySequence<byte> buffer;
    private bool holding;
    private bool lastRead;

    private async ValueTask<string?> NextLineAsync(CancellationToken ct)
    {
        while (true)
        {
            if (holding)
            {
                var newline = buffer.PositionOf((byte)'\n');
                if (newline is not null)
                {
                    var line = Decode(buffer.Slice(0, newline.Value));
                    buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                    return line;
                }
                if (lastRead)
                {
                    var rest = buffer.IsEmpty ? null : Decode(buffer);
                    pipe.AdvanceTo(buffer.End);
                    holding = false;
                    completed = true;
                    return rest;
                }
                if (buffer.Length > MaxLineBytes)
                {
                    throw new InvalidDataException($"Line {Line + 1} is longer than {MaxLineBytes} bytes.");
                }
                pipe.AdvanceTo(buffer.Start, buffer.End);
                holding = false;
            }
            if (completed) return null;
            var result = await pipe.ReadAsync(ct);
            (buffer, lastRead, holding) = (result.Buffer, result.IsCompleted, true);
        }
    }

    private static string Decode(ReadOnlySequence<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    private void Split(string line)
    {
        fields.Clear();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                quoted.Clear();
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { quoted.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    quoted.Append(line[i++]);
                }
                // Text after the closing quote belongs to the field (lenient, as spreadsheets write it).
                var tail = line.IndexOf(',', i);
                quoted.Append(line, i, (tail < 0 ? line.Length : tail) - i);
                fields.Add(quoted.ToString());
                if (tail < 0) return;
                i = tail + 1;
            }
            else
            {
                var comma = line.IndexOf(',', i);
                fields.Add(comma < 0 ? line[i..] : line[i..comma]);
                if (comma < 0) return;
                i = comma + 1;
            }
        }
    }

    public async ValueTask DisposeAsync() => await pipe.CompleteAsync();
}

/// <summary>
/// The first worksheet of an .xlsx. A zip package can only be read with its central directory, which sits at the end,
/// so the upload is spooled to a temporary file (deleted on close) — never into memory — and read row by row (SAX).
/// </summary>
internal sealed class XlsxSource : ITabularSource
{
    private readonly FileStream file;
    private readonly SpreadsheetDocument document;
    private readonly OpenXmlReader reader;
    private readonly IReadOnlyList<string> sharedStrings;
    private readonly List<string> current = [];
    private const int MaxColumns = 16_384; // Excel's own limit (XFD)

    private XlsxSource(FileStream file)
    {
        this.file = file;
        document = SpreadsheetDocument.Open(file, false);
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("The workbook has no workbook part.");
        var firstSheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("The workbook has no worksheet.");
        var sheet = (WorksheetPart)workbook.GetPartById(firstSheet.Id!.Value!);
        sharedStrings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        reader = OpenXmlReader.Create(sheet);
    }

    public static async Task<XlsxSource> OpenAsync(Stream body, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            await body.CopyToAsync(file, ct);
            file.Position = 0;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        try
        {
            return new XlsxSource(file);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile or broken package throws, to the caller it is one thing: not a workbook we can read.
            await file.DisposeAsync();
            throw new InvalidDataException("The body is not a readable .xlsx workbook.", e);
        }
    }

    public long Line { get; private set; }

    public async ValueTask<IReadOnlyList<string>?> ReadHeaderAsync(CancellationToken ct) =>
        await ReadAsync(ct) ? [.. current] : null;

    public ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        try
        {
            return ValueTask.FromResult(ReadRow());
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"The worksheet is malformed near row {Line + 1}.", e);
        }
    }

    private bool ReadRow()
    {
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            Line = row.RowIndex?.Value ?? Line + 1;
            current.Clear();
            foreach (var cell in row.Elements<Cell>())
            {
                var index = ColumnIndex(cell.CellReference?.Value) ?? current.Count;
                if (index > MaxColumns) throw new InvalidDataException($"Row {Line} has a cell beyond column {MaxColumns}.");
                while (current.Count < index) current.Add("");
                current.Add(CellText(cell));
            }
            return true;
        }
        return false;
    }

    public string Field(int index) => index < current.Count ? current[index] : "";

    private string CellText(Cell cell)
    {
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(cell.CellValue?.Text, out var i) && i >= 0 && i < sharedStrings.Count ? sharedStrings[i] : "";
        }
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }
        return cell.CellValue?.Text ?? "";
    }

    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            index = index * 26 + (c - 'A' + 1);
            if (index > MaxColumns + 1) return MaxColumns + 1;
        }
        return index == 0 ? null : index - 1;
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        document.Dispose();
        await file.DisposeAsync();
    }
}
