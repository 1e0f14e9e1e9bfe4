using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuncha.Planning.Rounds;

/// <summary>第N轮巡察: numbered per term, with its dates, targets and modes, groups needed and the standards it uses.</summary>
public sealed class Round
{
    public Guid Id { get; init; }
    public Guid TermId { get; init; }
    /// <summary>The committee's jurisdiction that directs the round (the term's).</summary>
    public required string Jurisdiction { get; init; }
    public string[] JurisdictionPath { get; init; } = [];
    public int Number { get; init; }
    public required string Name { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public int GroupsNeeded { get; set; }
    /// <summary>Codes of the supervision standard items (标到事) the round applies.</summary>
    public string[] StandardCodes { get; set; } = [];
    /// <summary>The library version frozen at launch; null before.</summary>
    public int? StandardsVersion { get; set; }
    public RoundStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LaunchedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public uint Version { get; set; }
    public List<RoundTarget> Targets { get; init; } = [];

    public bool Overlaps(DateOnly startsOn, DateOnly endsOn) => StartsOn <= endsOn && startsOn <= EndsOn;
}

/// <summary>A target in a round: its mode, dates, group and what the other services reported about it.</summary>
public sealed class RoundTarget
{
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public InspectionMode Mode { get; set; }
    /// <summary>交叉巡察: the jurisdictions that supply the staff.</summary>
    public string[] StaffSourceJurisdictions { get; set; } = [];
    /// <summary>巡镇带村: the township target this village is inspected with.</summary>
    public Guid? ClusterTargetId { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public RoundTargetStatus Status { get; set; }
    public Guid? GroupId { get; set; }
    public int GroupVersion { get; set; }
    public int ProblemsFound { get; set; }
    public int CluesRaised { get; set; }
    public int PetitionsReceived { get; set; }
    public int RectificationTasksTotal { get; set; }
    public int RectificationTasksClosed { get; set; }
    public decimal FundsRecovered { get; set; }
    public int RulesEstablished { get; set; }
    public int PeopleHandled { get; set; }
    public decimal? RectificationScore { get; set; }
    public decimal? SatisfactionRate { get; set; }
    public FiveItemChecklist Checklist { get; set; } = new();

    /// <summary>Statuses only move forward: a late or repeated report never takes a target back.</summary>
    public void Advance(RoundTargetStatus to)
    {
        if (to > Status) Status = to;
    }
}

/// <summary>"五项"检查清单 (seed 004): 承担什么任务、履行什么责任、制定什么措施、取得什么效果、存在什么差距.</summary>
public sealed record FiveItemChecklist
{
    public string Tasks { get; init; } = "";
    public string Responsibilities { get; init; } = "";
    public string Measures { get; init; } = "";
    public string Effects { get; init; } = "";
    public string Gaps { get; init; } = "";
}

internal sealed class RoundConfiguration : IEntityTypeConfiguration<Round>
{
    public void Configure(EntityTypeBuilder<Round> e)
    {
        e.ToTable("rounds");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.TermId, x.Number }).IsUnique();
        e.Property(x => x.Jurisdiction).HasMaxLength(100);
        e.HasIndex(x => x.JurisdictionPath).HasMethod("gin");
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.Version).IsRowVersion();
        e.HasMany(x => x.Targets).WithOne().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RoundTargetConfiguration : IEntityTypeConfiguration<RoundTarget>
{
    public void Configure(EntityTypeBuilder<RoundTarget> e)
    {
        e.ToTable("round_targets");
        e.HasKey(x => new { x.RoundId, x.TargetId });
        e.HasIndex(x => x.TargetId);
        e.HasOne<Targets.Target>().WithMany().HasForeignKey(x => x.TargetId).OnDelete(DeleteBehavior.Restrict);
        e.Property(x => x.Mode).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.FundsRecovered).HasPrecision(16, 2);
        e.Property(x => x.RectificationScore).HasPrecision(6, 2);
        e.Property(x => x.SatisfactionRate).HasPrecision(6, 2);
        e.ComplexProperty(x => x.Checklist, c =>
        {
            c.Property(p => p.Tasks).HasColumnName("checklist_tasks").HasMaxLength(4000);
            c.Property(p => p.Responsibilities).HasColumnName("checklist_responsibilities").HasMaxLength(4000);
            c.Property(p => p.Measures).HasColumnName("checklist_measures").HasMaxLength(4000);
            c.Property(p => p.Effects).HasColumnName("checklist_effects").HasMaxLength(4000);
            c.Property(p => p.Gaps).HasColumnName("checklist_gaps").HasMaxLength(4000);
        });
    }
}
