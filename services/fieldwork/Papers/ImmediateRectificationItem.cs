using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Papers;

/// <summary>立行立改: a simple problem the unit must fix during fieldwork, with its notice (立行立改通知书).</summary>
public sealed class ImmediateRectificationItem
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public Guid PaperId { get; init; }
    public int NoticeNumber { get; init; }
    public string Problem { get; init; } = "";
    public string? Requirement { get; init; }
    public DateOnly DueOn { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string RequestedBy { get; init; } = "";

    internal static void Configure(ModelBuilder model) => model.Entity<ImmediateRectificationItem>(e =>
    {
        e.ToTable("immediate_rectification_items");
        e.HasIndex(x => x.PaperId).IsUnique();
        e.HasIndex(x => new { x.WorkspaceId, x.NoticeNumber }).IsUnique();
        e.Property(x => x.Problem).HasMaxLength(12000);
        e.Property(x => x.Requirement).HasMaxLength(2000);
        e.Property(x => x.RequestedBy).HasMaxLength(200);
    });
}
