using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xuncha.AuditLinkage.Problems;

/// <summary>一巡察两报告: the problem list of the inspection report and that of the audit report, one sheet each.</summary>
public static class TwoReportsWorkbook
{
    public const string InspectionSheet = "巡察报告问题清单";
    public const string AuditSheet = "审计报告问题清单";
    private static readonly string[] Headers = ["序号", "来源", "问题", "事实", "金额（元）", "巡察定性", "审计定性"];

    public static byte[] Build(string roundName, string targetName, IReadOnlyList<SharedProblem> problems)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            AddSheet(workbook, 1, InspectionSheet, $"{roundName} · {targetName} · 巡察报告", problems.Where(p => p.ForInspectionReport));
            AddSheet(workbook, 2, AuditSheet, $"{roundName} · {targetName} · 审计报告", problems.Where(p => p.ForAuditReport));
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static void AddSheet(WorkbookPart workbook, uint id, string name, string title, IEnumerable<SharedProblem> problems)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        data.Append(Row(title));
        data.Append(Row(Headers));
        var n = 0;
        foreach (var p in problems)
        {
            data.Append(Row((++n).ToString(CultureInfo.InvariantCulture), Describe(p.Origin), p.Title, p.Facts,
                p.Amount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "", p.InspectionCharacterisation ?? "", p.AuditCharacterisation ?? ""));
        }
        part.Worksheet = new Worksheet(data);
        workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Row Row(params string[] values) =>
        new(values.Select(v => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v)) }));

    private static string Describe(Enum value) =>
        value.GetType().GetField(value.ToString())?.GetCustomAttribute<DescriptionAttribute>()?.Description ?? value.ToString();
}
