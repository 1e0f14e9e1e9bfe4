namespace Xuncha.Fieldwork.Intake;

/// <summary>
/// What the public may attach: photos and PDFs, recognised by their first bytes (the declared type and the file name
/// are not believed), within a count and size limit.
/// </summary>
public sealed class AttachmentPolicy(IConfiguration configuration)
{
    public int MaxCount { get; } = configuration.GetValue("Fieldwork:Intake:MaxAttachments", 3);
    public int MaxBytes { get; } = configuration.GetValue("Fieldwork:Intake:MaxAttachmentBytes", 2 * 1024 * 1024);

    private static readonly (string Type, byte[] Magic)[] Signatures =
    [
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("application/pdf", "%PDF-"u8.ToArray()),
    ];

    /// <summary>The content type the bytes really are, or null when they are none of the accepted kinds.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes)
    {
        foreach (var (type, magic) in Signatures)
        {
            if (bytes.StartsWith(magic)) return type;
        }
        return null;
    }

    /// <summary>A display name without paths or control characters (it is only ever shown, never used as a path).</summary>
    public static string SafeName(string? name)
    {
        var leaf = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var clean = new string([.. leaf.Where(c => !char.IsControl(c) && c is not ('<' or '>' or '"' or '/' or '\\'))]).Trim();
        return clean.Length == 0 ? "附件" : clean.Length > 100 ? clean[..100] : clean;
    }
}
