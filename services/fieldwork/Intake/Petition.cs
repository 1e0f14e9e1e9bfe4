using System.ComponentModel;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Intake;

public enum PetitionCategory
{
    [Description("信访举报")] Report,
    [Description("意见建议")] Suggestion,
    [Description("群众身边不正之风和腐败问题")] GrassrootsMisconduct,
    [Description("其他")] Other,
}

public enum PetitionStatus
{
    [Description("已受理")] Received,
    [Description("核实中")] UnderVerification,
    [Description("已转交有关部门")] Forwarded,
    [Description("已办结")] Concluded,
}

/// <summary>Out-of-scope triage: matters the group does not handle are recorded as forwarded, never dropped.</summary>
public enum TriageDecision
{
    [Description("属于巡察受理范围")] InScope,
    [Description("个人诉求，转交有关部门")] PersonalClaim,
    [Description("涉诉涉法事项，转交政法机关")] InLitigation,
    [Description("不属本组受理，转交有关部门")] OtherAuthority,
}

/// <summary>
/// 码上巡察 submission. The reporter's identity exists only as <see cref="SealedReporter"/> (AES-GCM); the client address
/// is never stored. <see cref="Fingerprint"/> detects the same content submitted twice to the same workspace.
/// </summary>
public sealed class Petition
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public string ReceiptCode { get; init; } = "";
    public PetitionCategory Category { get; init; }
    public string Subject { get; init; } = "";
    public string Content { get; init; } = "";
    public bool Anonymous { get; init; }
    public byte[]? SealedReporter { get; init; }
    public string Fingerprint { get; init; } = "";
    public PetitionStatus Status { get; set; }
    public TriageDecision? Triage { get; set; }
    public string? ForwardedTo { get; set; }
    public string? Reply { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; init; }
    public uint Version { get; private set; }
    public List<PetitionAttachment> Attachments { get; init; } = [];

    /// <summary>Same content to the same workspace: the index that refuses a duplicate submission.</summary>
    public const string DuplicateIndex = "IX_petitions_workspace_id_fingerprint";

    internal static void Configure(ModelBuilder model)
    {
        model.Entity<Petition>(e =>
        {
            e.ToTable("petitions");
            e.HasIndex(x => x.ReceiptCode).IsUnique();
            e.HasIndex(x => new { x.WorkspaceId, x.Fingerprint }).IsUnique().HasDatabaseName(DuplicateIndex);
            e.Property(x => x.ReceiptCode).HasMaxLength(16);
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Triage).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Content).HasMaxLength(5000);
            e.Property(x => x.Fingerprint).HasMaxLength(64);
            e.Property(x => x.ForwardedTo).HasMaxLength(200);
            e.Property(x => x.Reply).HasMaxLength(2000);
            e.Property(x => x.Version).IsRowVersion();
            e.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.PetitionId);
        });
        model.Entity<PetitionAttachment>(e =>
        {
            e.ToTable("petition_attachments");
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(100);
        });
    }
}

/// <summary>An uploaded file kept as inert bytes: served back only as a download, never interpreted.</summary>
public sealed class PetitionAttachment
{
    public Guid Id { get; init; }
    public Guid PetitionId { get; init; }
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public int Length { get; init; }
    public byte[] Content { get; init; } = [];
}
