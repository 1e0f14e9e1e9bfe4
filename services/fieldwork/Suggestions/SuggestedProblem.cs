using System.ComponentModel;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Suggestions;

public enum SuggestionStatus
{
    [Description("待核实")] Open,
    [Description("已转为底稿")] Verified,
    [Description("已排除")] Dismissed,
}

/// <summary>
/// A problem suggested by audit linkage (一巡察两报告 findings, 大数据比对 hits) for the group to verify into a working
/// paper or dismiss with a reason. Kept by round and target, so it shows up whichever arrives first: it or the workspace.
/// </summary>
public sealed class SuggestedProblem
{
    public Guid Id { get; init; }
    /// <summary>The audit finding id or comparison hit id: one suggestion per source item.</summary>
    public Guid SourceId { get; init; }
    public string Origin { get; init; } = "";
    public Guid RoundId { get; init; }
    public Guid? GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string Title { get; init; } = "";
    public string Facts { get; init; } = "";
    public decimal? Amount { get; init; }
    public SuggestionStatus Status { get; set; }
    public string? DismissReason { get; set; }
    public Guid? PaperId { get; set; }
    public DateTimeOffset SuggestedAt { get; init; }
    public uint Version { get; private set; }

    public const string AuditOrigin = "audit";
    public const string DataOrigin = "data";

    internal static void Configure(ModelBuilder model) => model.Entity<SuggestedProblem>(e =>
    {
        e.ToTable("suggested_problems");
        e.HasIndex(x => x.SourceId).IsUnique();
        e.HasIndex(x => new { x.RoundId, x.TargetId });
        e.Property(x => x.Origin).HasMaxLength(20);
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.Facts).HasMaxLength(8000);
        e.Property(x => x.Amount).HasPrecision(18, 2);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.DismissReason).HasMaxLength(1000);
        e.Property(x => x.Version).IsRowVersion();
    });
}
