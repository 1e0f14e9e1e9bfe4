using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Workspaces;

/// <summary>One group's fieldwork on one target in a round: everything else in this service hangs off it.</summary>
public sealed class Workspace
{
    public Guid Id { get; init; }
    public Guid GroupId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    /// <summary>The jurisdiction whose committee directs the inspection (owner of every record here).</summary>
    public string Jurisdiction { get; set; } = "";
    /// <summary>Root → directing jurisdiction: office roles anywhere on it may see the workspace.</summary>
    public List<string> DirectingPath { get; set; } = [];
    public string TargetCode { get; set; } = "";
    public string TargetName { get; set; } = "";
    /// <summary>county-department | township | village (from the round's target list, when known).</summary>
    public string TargetKind { get; set; } = "";
    public string? TargetParentCode { get; set; }
    public List<string> TargetPath { get; set; } = [];
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    public uint Version { get; private set; }

    public InspectionGroup Group { get; set; } = null!;

    public bool IsVillage => TargetKind == "village";
    public string DisplayName => TargetName.Length > 0 ? TargetName : TargetCode.Length > 0 ? TargetCode : TargetId.ToString();

    internal static void Configure(ModelBuilder model) => model.Entity<Workspace>(e =>
    {
        e.ToTable("workspaces");
        e.HasIndex(x => new { x.GroupId, x.TargetId }).IsUnique();
        e.HasIndex(x => new { x.RoundId, x.TargetId });
        e.Property(x => x.Jurisdiction).HasMaxLength(100);
        e.Property(x => x.TargetCode).HasMaxLength(100);
        e.Property(x => x.TargetName).HasMaxLength(200);
        e.Property(x => x.TargetKind).HasMaxLength(40);
        e.Property(x => x.TargetParentCode).HasMaxLength(100);
        e.Property(x => x.Version).IsRowVersion();
        e.HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId);
    });
}

/// <summary>A round's target as planning launched it; fills in workspaces opened before or after it arrives.</summary>
public sealed class RoundTargetInfo
{
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Code { get; set; } = "";
    public string? ParentCode { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public List<string> JurisdictionPath { get; set; } = [];
    public List<string> DirectingPath { get; set; } = [];

    public void ApplyTo(Workspace w)
    {
        w.TargetCode = Code;
        w.TargetParentCode = ParentCode;
        w.TargetName = Name;
        w.TargetKind = Kind;
        w.TargetPath = [.. JurisdictionPath];
        if (DirectingPath.Count > 0) w.DirectingPath = [.. DirectingPath];
    }

    internal static void Configure(ModelBuilder model) => model.Entity<RoundTargetInfo>(e =>
    {
        e.ToTable("round_targets");
        e.HasKey(x => new { x.RoundId, x.TargetId });
        e.Property(x => x.Code).HasMaxLength(100);
        e.Property(x => x.ParentCode).HasMaxLength(100);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Kind).HasMaxLength(40);
    });
}
