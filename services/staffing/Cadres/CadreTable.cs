using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xuncha.Staffing.Cadres;

/// <summary>The cadre sheet both import and export use: one header row of Chinese column names, one cadre per row.</summary>
public static class CadreTable
{
    public const string Name = "姓名";
    public const string IdentityNumber = "身份证号";
    public const string Path = "所属地区";
    public const string UnitCode = "现单位代码";
    public const string UnitName = "现单位名称";
    public const string SpecialtiesColumn = "专业";
    public const string EmploymentColumn = "专职或抽调";
    public const string Township = "乡镇干部";
    public const string GradeColumn = "可任职务";
    public const string Rounds = "已参加轮次";
    public const string Former = "原工作单位";
    public const string RelativesColumn = "亲属";
    public const string AvailabilityColumn = "可抽调时段";
    public const string Account = "平台账号";
    public const string Id = "编号";

    public static readonly string[] Columns = [Id, Name, IdentityNumber, Path, UnitCode, UnitName, SpecialtiesColumn, EmploymentColumn, Township, GradeColumn, Rounds, Former, RelativesColumn, AvailabilityColumn, Account];

    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Reads rows as column → text; throws <see cref="FormatException"/> for a file that is not a readable table.</summary>
    public static List<Dictionary<string, string>> Read(Stream stream, bool xlsx) => xlsx ? ReadXlsx(stream) : ReadCsv(stream);

    private static List<Dictionary<string, string>> ReadCsv(Stream stream)
    {
        var rows = new List<Dictionary<string, string>>();
        try
        {
            using var csv = CsvReader.Create(stream, new CsvReaderOptions
            {
                HasHeader = true,
                TrimWhitespace = true,
                MaxRecordSize = 64 * 1024,
                MalformedData = CsvMalformedDataHandling.Throw,
            }, leaveOpen: true);
            while (csv.Read())
            {
                var header = csv.Headers ?? [];
                var row = new Dictionary<string, string>();
                for (var i = 0; i < header.Count; i++)
                {
                    row.TryAdd(header[i], i < csv.FieldCount ? csv.GetString(i) : "");
                }
                rows.Add(row);
            }
        }
        catch (CsvFormatException e)
        {
            throw new FormatException($"CSV cannot be read near data row {rows.Count + 1}: {e.Message}");
        }
        return rows;
    }

    private static List<Dictionary<string, string>> ReadXlsx(Stream stream)
    {
        try
        {
            using var doc = SpreadsheetDocument.Open(stream, false);
            var book = doc.WorkbookPart ?? throw new FormatException("The workbook has no sheets.");
            var sheet = book.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new FormatException("The workbook has no sheets.");
            var part = (WorksheetPart)book.GetPartById(sheet.Id!.Value!);
            var shared = book.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
            var rows = part.Worksheet.Descendants<Row>().ToList();
            if (rows.Count == 0) return [];
            string Text(Cell c) => c.DataType?.Value == CellValues.SharedString && int.TryParse(c.CellValue?.Text, out var i) && i < shared.Count ? shared[i]
                : c.DataType?.Value == CellValues.InlineString ? c.InlineString?.InnerText ?? ""
                : c.CellValue?.Text ?? "";
            Dictionary<int, string> Cells(Row r) => r.Elements<Cell>().Select((c, i) => (col: c.CellReference?.Value is { } reference ? ColumnIndex(reference) : i, text: Text(c).Trim()))
                .GroupBy(x => x.col).ToDictionary(g => g.Key, g => g.First().text);
            var header = Cells(rows[0]);
            return [.. rows.Skip(1).Select(r =>
            {
                var cells = Cells(r);
                return header.Where(h => h.Value.Length > 0).GroupBy(h => h.Value).ToDictionary(g => g.Key, g => cells.TryGetValue(g.First().Key, out var v) ? v : "");
            }).Where(r => r.Values.Any(v => v.Length > 0))];
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or IOException or KeyNotFoundException or ArgumentException)
        {
            throw new FormatException($"Not a readable .xlsx workbook ({e.GetType().Name}).");
        }
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter)) index = index * 26 + (char.ToUpperInvariant(ch) - 'A' + 1);
        return index - 1;
    }

    public static byte[] WriteCsv(IEnumerable<string[]> rows)
    {
        using var buffer = new MemoryStream();
        // A spreadsheet program would run a cell starting with = + - @ as a formula: such cells are escaped.
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true }, leaveOpen: true))
        {
            csv.WriteHeader(Columns);
            foreach (var row in rows) csv.WriteRecord(row);
            csv.Flush();
        }
        return buffer.ToArray();
    }

    public static byte[] WriteXlsx(IEnumerable<string[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var book = doc.AddWorkbookPart();
            book.Workbook = new Workbook();
            var part = book.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Line(Columns));
            foreach (var row in rows) data.Append(Line(row));
            part.Worksheet = new Worksheet(data);
            book.Workbook.AppendChild(new Sheets(new Sheet { Id = book.GetIdOfPart(part), SheetId = 1, Name = "巡察人才库" }));
            book.Workbook.Save();
        }
        return buffer.ToArray();
    }

    // Inline strings: a value is never evaluated as a formula.
    private static Row Line(IEnumerable<string> values) =>
        new(values.Select(v => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v)) }));
}
