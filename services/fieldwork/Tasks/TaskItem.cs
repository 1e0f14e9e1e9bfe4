using System.ComponentModel;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Tasks;

public enum TaskCadence
{
    [Description("日清单")] Daily,
    [Description("周清单")] Weekly,
}

public enum TaskState
{
    [Description("待完成")] Open,
    [Description("已完成")] Done,
}

/// <summary>A carried-over item keeps why and until when (日清周结: nothing silently slips).</summary>
public sealed record CarryOver
{
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public string Reason { get; init; } = "";
    public string By { get; init; } = "";
}

/// <summary>日清周结: an item on the group's daily or weekly list, closed when done (销号) or carried over with a reason.</summary>
public sealed class TaskItem
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public TaskCadence Cadence { get; init; }
    public string Title { get; set; } = "";
    public string Assignee { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public TaskState State { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Outcome { get; set; }
    public List<CarryOver> CarryOvers { get; set; } = [];
    public uint Version { get; private set; }

    internal static void Configure(ModelBuilder model) => model.Entity<TaskItem>(e =>
    {
        e.ToTable("task_items");
        e.HasIndex(x => new { x.WorkspaceId, x.DueOn });
        e.Property(x => x.Cadence).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.Assignee).HasMaxLength(100);
        e.Property(x => x.Outcome).HasMaxLength(2000);
        e.ComplexCollection(x => x.CarryOvers, b => b.ToJson());
        e.Property(x => x.Version).IsRowVersion();
    });
}
