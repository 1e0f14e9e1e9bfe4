using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xuncha.Planning.Targets;

/// <summary>The target list as a file: CSV or Excel (.xlsx), one row per target, the same columns both ways.</summary>
public static class TargetFile
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly string[] Columns =
        ["code", "parentCode", "name", "kind", "economicSize", "petitions", "projects", "specialFunds", "weakPartyOrganisation", "dataAnomaly"];

    // Offices keep their sheets in Chinese; either header works.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["编码"] = "code", ["单位编码"] = "code", ["上级编码"] = "parentCode", ["名称"] = "name", ["单位名称"] = "name",
        ["类别"] = "kind", ["类型"] = "kind", ["经济体量"] = "economicSize", ["经济体量(万元)"] = "economicSize", ["经济体量（万元）"] = "economicSize",
        ["信访件数"] = "petitions", ["信访"] = "petitions", ["工程项目数"] = "projects", ["工程项目"] = "projects",
        ["专项资金"] = "specialFunds", ["专项资金(万元)"] = "specialFunds", ["专项资金（万元）"] = "specialFunds",
        ["软弱涣散"] = "weakPartyOrganisation", ["数据异常"] = "dataAnomaly",
    };

    /// <summary>A data row as read: its 1-based line in the file (header is row 1) and its cells by column name.</summary>
    public sealed record RawRow(int Row, IReadOnlyDictionary<string, string> Cells)
    {
        public string this[string column] => Cells.TryGetValue(column, out var v) ? v.Trim() : "";
    }

    /// <summary>The file could not be read as the format it claims (the message says where).</summary>
    public sealed class UnreadableFileException(string message, Exception? inner = null) : Exception(message, inner);

    public static List<RawRow> Read(Stream content, string contentType) =>
        contentType == XlsxType ? ReadXlsx(content) : ReadCsv(content);

    private static string Canonical(string header) =>
        Columns.FirstOrDefault(c => c.Equals(header.Trim(), StringComparison.OrdinalIgnoreCase)) ?? (Aliases.TryGetValue(header.Trim(), out var a) ? a : header.Trim());

    private static List<RawRow> ReadCsv(Stream content)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = true, MalformedData = CsvMalformedDataHandling.Throw, FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty, TrackLineNumbers = true, SkipEmptyLines = true, MaxRecordSize = 64 * 1024,
        };
        try
        {
            using var csv = CsvReader.Create(content, options, leaveOpen: true);
            var headers = csv.Headers?.Select(Canonical).ToArray();
            if (headers is not { Length: > 0 }) throw new UnreadableFileException("The file is empty: a header row is expected.");
            var rows = new List<RawRow>();
            while (csv.Read())
            {
                var cells = new Dictionary<string, string>();
                for (var i = 0; i < headers.Length; i++) cells[headers[i]] = i < csv.FieldCount ? csv.Current.GetString(i) : "";
                rows.Add(new RawRow((int)csv.LineNumber, cells));
            }
            return rows;
        }
        catch (CsvFormatException e)
        {
            throw new UnreadableFileException($"The CSV is malformed at line {e.LineNumber}: {e.Message}", e);
        }
    }

    private static List<RawRow> ReadXlsx(Stream content)
    {
        try
        {
            using var document = SpreadsheetDocument.Open(content, false);
            var workbook = document.WorkbookPart ?? throw new UnreadableFileException("The workbook has no content.");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new UnreadableFileException("The workbook has no sheet.");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            string[]? headers = null;
            var rows = new List<RawRow>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var values = new SortedDictionary<int, string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    values[ColumnIndex(cell.CellReference?.Value)] = CellText(cell, strings);
                }
                if (headers is null)
                {
                    var width = values.Count == 0 ? 0 : values.Keys.Max() + 1;
                    headers = [.. Enumerable.Range(0, width).Select(i => Canonical(values.GetValueOrDefault(i, "")))];
                    continue;
                }
                if (values.Values.All(string.IsNullOrWhiteSpace)) continue;
                var cells = new Dictionary<string, string>();
                for (var i = 0; i < headers.Length; i++) cells[headers[i]] = values.GetValueOrDefault(i, "");
                rows.Add(new RawRow((int)(row.RowIndex?.Value ?? (uint)rows.Count + 2), cells));
            }
            if (headers is null) throw new UnreadableFileException("The sheet is empty: a header row is expected.");
            return rows;
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException or System.Xml.XmlException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new UnreadableFileException("The file is not a readable .xlsx workbook.", e);
        }
    }

    private static int ColumnIndex(string? reference)
    {
        var index = 0;
        foreach (var ch in reference ?? "A")
        {
            if (!char.IsAsciiLetterUpper(ch)) break;
            index = index * 26 + (ch - 'A' + 1);
        }
        return Math.Max(0, index - 1);
    }

    private static string CellText(Cell cell, string[] strings)
    {
        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString) return int.TryParse(raw, out var i) && i >= 0 && i < strings.Length ? strings[i] : "";
        if (cell.DataType?.Value == CellValues.InlineString) return cell.InlineString?.InnerText ?? "";
        if (cell.DataType?.Value == CellValues.Boolean) return raw == "1" ? "true" : "false";
        return raw;
    }

    public static byte[] WriteCsv(IEnumerable<Target> targets)
    {
        using var buffer = new MemoryStream();
        // Escape cells that a spreadsheet would run as formulas (=, +, -, @): names come from other people's files.
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteRecord(Columns);
            foreach (var t in targets) csv.WriteRecord(Values(t));
        }
        return buffer.ToArray();
    }

    public static byte[] WriteXlsx(IEnumerable<Target> targets)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Line(1, Columns.Select(c => (c, false))));
            uint index = 2;
            foreach (var t in targets)
            {
                var values = Values(t);
                data.Append(Line(index++, values.Select((v, i) => (v, i is 4 or 5 or 6 or 7))));
            }
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "巡察对象" }));
            workbook.Workbook.Save();
        }
        return buffer.ToArray();
    }

    private static Row Line(uint index, IEnumerable<(string Value, bool Number)> cells)
    {
        var row = new Row { RowIndex = index };
        var column = 0;
        foreach (var (value, number) in cells)
        {
            var reference = $"{(char)('A' + column++)}{index}";
            row.Append(number
                ? new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(value) }
                : new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value)) });
        }
        return row;
    }

    private static string[] Values(Target t)
    {
        var a = t.Attributes;
        var c = CultureInfo.InvariantCulture;
        return
        [
            t.Code, t.ParentCode, t.Name, t.Kind.Code(), a.EconomicSize.ToString("0.##", c), a.Petitions.ToString(c), a.Projects.ToString(c),
            a.SpecialFunds.ToString("0.##", c), a.WeakPartyOrganisation ? "true" : "false", a.DataAnomaly ? "true" : "false",
        ];
    }
}
