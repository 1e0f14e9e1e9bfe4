using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Xuncha.Clues.Registry;

namespace Xuncha.Clues.Transfers;

/// <summary>问题线索移交函 as a Word document, in the official-document layout (title, number, addressee, body, package list, signature).</summary>
public static class TransferLetterDocument
{
    private const string TitleFont = "方正小标宋简体";
    private const string BodyFont = "仿宋_GB2312";
    private const string HeadingFont = "黑体";

    public static byte[] Render(TransferLetter letter, Clue clue, string issuingOffice)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            body.Append(
                Line($"密级：{Terms.Label(clue.Sensitivity)}", HeadingFont, 24),
                Line("问题线索移交函", TitleFont, 44, JustificationValues.Center, bold: true),
                Line(letter.Number, BodyFont, 32, JustificationValues.Center),
                Line($"{letter.ReceivingOffice}：", BodyFont, 32),
                Indented($"在对{clue.TargetName}开展巡察期间，发现涉及{string.Join("、", clue.InvolvedPersons)}的问题线索1件。" +
                         "经会商研判，现按照有关规定移交你单位，请按程序处置" +
                         (clue.FeedbackDueOn is { } due ? $"，并于{Chinese(due)}前将办理情况反馈我办。" : "。")),
                Line("一、问题线索基本情况", HeadingFont, 32),
                Indented($"线索类别：{Terms.Label(clue.Category)}"),
                Indented($"线索来源：{Terms.Label(clue.Source)}"),
                Indented($"涉及人员：{string.Join("、", clue.InvolvedPersons)}"),
                Indented($"主要问题：{clue.Summary}"),
                Line("二、移交材料清单", HeadingFont, 32));
            var item = 0;
            foreach (var evidence in letter.EvidenceList)
            {
                body.Append(Indented($"{++item}. {evidence}"));
            }
            foreach (var excerpt in letter.InterviewExcerpts)
            {
                body.Append(Indented($"{++item}. 谈话摘录：{excerpt}"));
            }
            if (item == 0)
            {
                body.Append(Indented("（无附件材料）"));
            }
            body.Append(
                Indented("特此函告。"),
                Line(issuingOffice, BodyFont, 32, JustificationValues.Right),
                Line(Chinese(letter.IssuedOn), BodyFont, 32, JustificationValues.Right));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    public static string Chinese(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    private static Paragraph Indented(string text) => Line(text, BodyFont, 32, indentFirstLine: true);

    /// <summary>One paragraph; sizes are half-points (32 = 三号, 44 = 二号).</summary>
    private static Paragraph Line(string text, string font, int halfPoints, JustificationValues? align = null, bool bold = false, bool indentFirstLine = false)
    {
        var runProperties = new RunProperties(
            new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font },
            new FontSize { Val = halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (bold) runProperties.Append(new Bold());
        var paragraphProperties = new ParagraphProperties(new Justification { Val = align ?? JustificationValues.Both });
        if (indentFirstLine) paragraphProperties.Append(new Indentation { FirstLineChars = 200 });
        return new Paragraph(paragraphProperties, new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }
}
