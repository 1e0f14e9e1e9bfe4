using QRCoder;

namespace Xuncha.Fieldwork.Announcements;

/// <summary>The public intake link of an announcement (through the gateway's anonymous route) and its QR code.</summary>
public sealed class IntakeLinks(IConfiguration configuration)
{
    private readonly string baseUrl = (configuration["Fieldwork:PublicBaseUrl"] ?? "http://127.0.0.1:8080").TrimEnd('/');

    public string FormUrl(string intakeCode) => $"{baseUrl}/api/fieldwork/public/intake/{intakeCode}/form";

    public byte[] Png(string intakeCode)
    {
        using var data = Encode(intakeCode);
        return new PngByteQRCode(data).GetGraphic(10);
    }

    public string Svg(string intakeCode)
    {
        using var data = Encode(intakeCode);
        return new SvgQRCode(data).GetGraphic(8);
    }

    private QRCodeData Encode(string intakeCode)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(FormUrl(intakeCode), QRCodeGenerator.ECCLevel.M);
    }
}
