using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xuncha.AuditLinkage.Datasets;

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
    // The current row's cells as UTF-8, back to back: cell i is bytes[starts[i]..starts[i + 1]].
    private byte[] bytes = new byte[4096];
    private readonly List<int> starts = [0];
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
            Encode();
            return true;
        }
        return false;
    }

    public ReadOnlySpan<byte> Field(int index) => index < current.Count ? bytes.AsSpan(starts[index], starts[index + 1] - starts[index]) : default;

    private void Encode()
    {
        starts.Clear();
        starts.Add(0);
        var length = 0;
        foreach (var text in current)
        {
            var needed = length + Encoding.UTF8.GetMaxByteCount(text.Length);
            if (needed > bytes.Length) Array.Resize(ref bytes, Math.Max(needed, bytes.Length * 2));
            length += Encoding.UTF8.GetBytes(text, bytes.AsSpan(length)); // lone surrogates become U+FFFD: always valid UTF-8
            starts.Add(length);
        }
    }

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
