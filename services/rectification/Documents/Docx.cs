using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Xuncha.Rectification.Documents;

/// <summary>A small writer for the service's Word documents: A4, 仿宋 body, 方正小标宋-style bold title, simple tables.</summary>
public sealed class Docx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private readonly Body body = new();

    public Docx Title(string text) => Add(Para(text, bold: true, size: 40, centered: true));
    public Docx Subtitle(string text) => Add(Para(text, size: 28, centered: true));
    public Docx Heading(string text) => Add(Para(text, bold: true, size: 32));
    public Docx Text(string text) => Add(Para(text, size: 32, indent: true));
    public Docx Right(string text) => Add(Para(text, size: 32, right: true));

    public Docx Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var border = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(border, new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }));
        table.Append(Row(headers, bold: true));
        foreach (var row in rows) table.Append(Row(row, bold: false));
        body.Append(table);
        body.Append(Para("", size: 24));
        return this;
    }

    public byte[] Render()
    {
        using var buffer = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var content = (Body)body.CloneNode(true);
            content.Append(new SectionProperties(new PageSize { Width = 11906U, Height = 16838U }, new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U }));
            main.Document = new Document(content);
            main.Document.Save();
        }
        return buffer.ToArray();
    }

    private Docx Add(Paragraph p)
    {
        body.Append(p);
        return this;
    }

    private static TableRow Row(IReadOnlyList<string> cells, bool bold) =>
        new(cells.Select(c => new TableCell(Para(c, bold: bold, size: 21))));

    private static Paragraph Para(string text, bool bold = false, int size = 32, bool centered = false, bool right = false, bool indent = false)
    {
        var font = bold && size >= 40 ? "方正小标宋简体" : "仿宋_GB2312";
        var run = new RunProperties(new RunFonts { EastAsia = font, Ascii = font, HighAnsi = font }, new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (bold) run.Append(new Bold());
        var props = new ParagraphProperties();
        if (centered) props.Append(new Justification { Val = JustificationValues.Center });
        if (right) props.Append(new Justification { Val = JustificationValues.Right });
        if (indent) props.Append(new Indentation { FirstLineChars = 200 });
        return new Paragraph(props, new Run(run, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }
}
