using DocumentFormat.OpenXml.Packaging;

namespace Xuncha.Rectification.Tests;

public static class DocumentText
{
    /// <summary>The text of a .docx, read back with the Open XML SDK (so the file is a valid package, not just bytes).</summary>
    public static string Of(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var doc = WordprocessingDocument.Open(stream, false);
        return doc.MainDocumentPart!.Document.Body!.InnerText;
    }
}
