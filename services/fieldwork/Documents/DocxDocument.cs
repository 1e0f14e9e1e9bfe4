using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Xuncha.Fieldwork.Documents;

/// <summary>
/// A small writer for the official documents (公文) this service issues: a centred title, headings, body paragraphs,
/// labelled lines and tables, in the customary Chinese fonts. Text is set as text, never parsed.
/// </summary>
public sealed class DocxDocument
{
    private readonly List<OpenXmlElement> body = [];

    public DocxDocument Title(string text)
    {
        body.Add(Para(text, size: 44, bold: true, font: "方正小标宋简体", centred: true));
        return this;
    }

    public DocxDocument Heading(string text)
    {
        body.Add(Para(text, size: 32, bold: true, font: "黑体"));
        return this;
    }

    public DocxDocument Paragraph(string text, bool indent = true)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            body.Add(Para(line, size: 32, font: "仿宋_GB2312", indent: indent));
        }
        return this;
    }

    public DocxDocument Field(string label, string? value)
    {
        var p = Para(label + "：", size: 32, bold: true, font: "仿宋_GB2312");
        p.Append(TextRun(string.IsNullOrWhiteSpace(value) ? "（无）" : value, 32, false, "仿宋_GB2312"));
        body.Add(p);
        return this;
    }

    public DocxDocument Right(string text)
    {
        var p = Para(text, size: 32, font: "仿宋_GB2312");
        p.ParagraphProperties!.Append(new Justification { Val = JustificationValues.Right });
        body.Add(p);
        return this;
    }

    public DocxDocument Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table(new TableProperties(
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 })));
        table.Append(new TableGrid(headers.Select(_ => new GridColumn { Width = (9000 / headers.Count).ToString() })));
        table.Append(Row(headers, bold: true));
        foreach (var row in rows) table.Append(Row(row, bold: false));
        body.Add(table);
        body.Add(new DocumentFormat.OpenXml.Wordprocessing.Paragraph());
        return this;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(body.Select(e => e.CloneNode(true))));
            main.Document.Body!.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588, Right = 1474, Header = 851, Footer = 992 }));
            main.Document.Save();
        }
        return stream.ToArray();
    }

    public static IResult File(byte[] bytes, string fileName) =>
        Results.File(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fileName);

    private static TableRow Row(IEnumerable<string> cells, bool bold) =>
        new(cells.Select(c => new TableCell(Para(c, size: 24, bold: bold, font: "仿宋_GB2312"))));

    private static DocumentFormat.OpenXml.Wordprocessing.Paragraph Para(string text, int size, bool bold = false, string font = "仿宋_GB2312", bool centred = false, bool indent = false)
    {
        var props = new ParagraphProperties(new SpacingBetweenLines { Line = "560", LineRule = LineSpacingRuleValues.Exact });
        if (centred) props.Append(new Justification { Val = JustificationValues.Center });
        if (indent) props.Append(new Indentation { FirstLineChars = 200 });
        return new DocumentFormat.OpenXml.Wordprocessing.Paragraph(props, TextRun(text, size, bold, font));
    }

    private static Run TextRun(string text, int size, bool bold, string font)
    {
        var props = new RunProperties(new RunFonts { EastAsia = font, Ascii = "Times New Roman", HighAnsi = "Times New Roman" });
        if (bold) props.Append(new Bold());
        props.Append(new FontSize { Val = size.ToString() });
        return new Run(props, new Text(text) { Space = SpaceProcessingModeValues.Preserve });
    }
}
