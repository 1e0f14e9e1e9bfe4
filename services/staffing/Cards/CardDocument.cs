using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Xuncha.Staffing.Groups;

namespace Xuncha.Staffing.Cards;

/// <summary>The responsibility card as a Word document (巡察责任卡), in the order the card names: 岗位名称、具体职责、工作标准、追责情形, then the pledge.</summary>
public static class CardDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static byte[] Render(ResponsibilityCard card)
    {
        using var buffer = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            body.Append(Paragraph("巡察责任卡", bold: true, size: 36, centered: true));
            body.Append(Paragraph($"{card.GroupName}", centered: true));
            body.Append(Paragraph($"姓名：{card.CadreName}　　职务：{GroupRoles.NameOf(card.Role)}　　岗位名称：{card.PostTitle}"));
            Section(body, "一、具体职责", card.Duties);
            Section(body, "二、工作标准", card.Standards);
            Section(body, "三、追责情形", card.Accountability);
            body.Append(Paragraph("四、廉洁承诺", bold: true));
            body.Append(Paragraph(ResponsibilityCard.PledgeWording));
            body.Append(Paragraph(card.PledgedAt is { } at
                ? $"承诺人：{card.CadreName}　　已于 {at.ToOffset(TimeSpan.FromHours(8)):yyyy年M月d日 HH:mm} 签署"
                : $"承诺人：{card.CadreName}　　（尚未签署）"));
            body.Append(Paragraph($"签发日期：{card.IssuedAt.ToOffset(TimeSpan.FromHours(8)):yyyy年M月d日}　　本卡在被巡察单位公示，接受干部群众监督。"));
            body.Append(new SectionProperties(new PageSize { Width = 11906U, Height = 16838U }, new PageMargin { Top = 1440, Bottom = 1440, Left = 1800U, Right = 1800U }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return buffer.ToArray();
    }

    private static void Section(Body body, string title, IEnumerable<string> items)
    {
        body.Append(Paragraph(title, bold: true));
        var n = 1;
        foreach (var item in items) body.Append(Paragraph($"{n++}. {item}"));
    }

    private static Paragraph Paragraph(string text, bool bold = false, int size = 24, bool centered = false)
    {
        var runProperties = new RunProperties(
            new RunFonts { EastAsia = "宋体", Ascii = "宋体", HighAnsi = "宋体" },
            new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (bold) runProperties.Append(new Bold());
        var paragraph = new Paragraph(new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        if (centered) paragraph.PrependChild(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        return paragraph;
    }
}
