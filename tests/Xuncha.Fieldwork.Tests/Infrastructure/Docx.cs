using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace Xuncha.Fieldwork.Tests.Infrastructure;

public static class Docx
{
    /// <summary>The document's text, after checking it is a schema-valid Word document.</summary>
    public static string Text(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var doc = WordprocessingDocument.Open(stream, false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return doc.MainDocumentPart!.Document.Body!.InnerText;
    }
}
