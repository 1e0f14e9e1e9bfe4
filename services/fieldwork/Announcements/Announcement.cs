using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Announcements;

/// <summary>巡察公告: when and how the public may reach the group about one target; intake closes on <see cref="ClosesOn"/>.</summary>
public sealed class Announcement
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    /// <summary>The public, unguessable code in the intake link and QR code (never the workspace id).</summary>
    public string IntakeCode { get; init; } = "";
    public DateOnly OpensOn { get; set; }
    public DateOnly ClosesOn { get; set; }
    /// <summary>What is accepted (受理范围), e.g. 反映被巡察党组织领导班子及其成员的问题.</summary>
    public string AcceptedScope { get; set; } = "";
    public string Hotline { get; set; } = "";
    public string Mailbox { get; set; } = "";
    public string? PostalAddress { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
    public uint Version { get; private set; }

    public bool AcceptsOn(DateOnly day) => day >= OpensOn && day <= ClosesOn;

    internal static void Configure(ModelBuilder model) => model.Entity<Announcement>(e =>
    {
        e.ToTable("announcements");
        e.HasIndex(x => x.WorkspaceId).IsUnique();
        e.HasIndex(x => x.IntakeCode).IsUnique();
        e.Property(x => x.IntakeCode).HasMaxLength(32);
        e.Property(x => x.AcceptedScope).HasMaxLength(1000);
        e.Property(x => x.Hotline).HasMaxLength(40);
        e.Property(x => x.Mailbox).HasMaxLength(200);
        e.Property(x => x.PostalAddress).HasMaxLength(200);
        e.Property(x => x.PublishedBy).HasMaxLength(200);
        e.Property(x => x.Version).IsRowVersion();
    });
}
