using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Xuncha.Fieldwork.Documents;
using Xuncha.Fieldwork.Intake;
using Xuncha.Fieldwork.Papers;

namespace Xuncha.Fieldwork.Tests;

/// <summary>Pure rules without I/O: the quality gate, the reporter seal, attachment sniffing.</summary>
public sealed class DomainRuleTests
{
    [Fact]
    public void The_quality_gate_names_every_missing_element_and_accepts_an_amount_as_figures()
    {
        var empty = new WorkingPaper { Title = "t" };
        Assert.Equal(["occurredPeriod", "facts", "figures", "causes", "nature", "degree", "impact", "policyBasis"], QualityGate.Missing(empty).Select(g => g.Field));
        var complete = new WorkingPaper
        {
            OccurredPeriod = "2025年", Facts = "f", Amount = 1m, Causes = "c", Nature = "n", Degree = "d", Impact = "i", PolicyBasis = "p",
        };
        Assert.Empty(QualityGate.Missing(complete));
        complete.Impact = "   ";
        Assert.Equal(["impact"], QualityGate.Missing(complete).Select(g => g.Field));
    }

    [Fact]
    public void A_sealed_identity_opens_only_for_its_own_petition_and_unaltered()
    {
        var vault = new ReporterVault(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fieldwork:ReporterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build());
        var id = Guid.NewGuid();
        var sealedBytes = vault.Seal(id, new ReporterIdentity("李四", "13800000000", null));
        Assert.Equal("李四", vault.Open(id, sealedBytes).Name);
        Assert.ThrowsAny<CryptographicException>(() => vault.Open(Guid.NewGuid(), sealedBytes));
        sealedBytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => vault.Open(id, sealedBytes));
        Assert.DoesNotContain("李四", new ReporterIdentity("李四", "1", null).ToString());
    }

    [Fact]
    public void Generated_documents_are_schema_valid_Word_files()
    {
        var bytes = new DocxDocument().Title("巡察问题底稿").Heading("一、总体评价").Paragraph("第一段\n第二段").Field("问题", "事实")
            .Field("空字段", null).Right("洛南县委第三巡察组").Table(["环节", "签名"], [["起草", "张三"], ["组长签批", "王五"]]).ToBytes();
        using var stream = new MemoryStream(bytes);
        using var doc = WordprocessingDocument.Open(stream, false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Contains("第二段", doc.MainDocumentPart!.Document.Body!.InnerText);
    }

    [Fact]
    public void Attachments_are_recognised_by_their_bytes_not_their_names()
    {
        Assert.Equal("application/pdf", AttachmentPolicy.Sniff("%PDF-1.7"u8));
        Assert.Equal("image/jpeg", AttachmentPolicy.Sniff([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Null(AttachmentPolicy.Sniff("<svg onload=alert(1)>"u8));
        Assert.Null(AttachmentPolicy.Sniff([0x4D, 0x5A]));
        Assert.Equal("passwd", AttachmentPolicy.SafeName("../../etc/passwd"));
        Assert.Equal("附件", AttachmentPolicy.SafeName("\u0000\u0001"));
    }
}
