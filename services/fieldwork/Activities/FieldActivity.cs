using System.ComponentModel;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Activities;

public enum ActivityKind
{
    [Description("个别谈话")] Interview,
    [Description("查阅资料")] DocumentReview,
    [Description("走访调研")] Visit,
}

/// <summary>An interview, document review or visit: scheduled, then recorded as held — who, when, with whom, about what.</summary>
public sealed class FieldActivity
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public ActivityKind Kind { get; init; }
    public DateTimeOffset ScheduledAt { get; set; }
    public DateTimeOffset? HeldAt { get; set; }
    /// <summary>The group members taking part (谈话人 / 查阅人).</summary>
    public List<string> Conductors { get; set; } = [];
    /// <summary>Whom (谈话对象) or what (查阅的账册资料 / 走访地点).</summary>
    public string Counterpart { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Record { get; set; }
    public string RecordedBy { get; set; } = "";
    public uint Version { get; private set; }

    internal static void Configure(ModelBuilder model) => model.Entity<FieldActivity>(e =>
    {
        e.ToTable("field_activities");
        e.HasIndex(x => new { x.WorkspaceId, x.ScheduledAt });
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        e.Property(x => x.Counterpart).HasMaxLength(300);
        e.Property(x => x.Subject).HasMaxLength(500);
        e.Property(x => x.Record).HasMaxLength(20000);
        e.Property(x => x.RecordedBy).HasMaxLength(200);
        e.Property(x => x.Version).IsRowVersion();
    });
}
