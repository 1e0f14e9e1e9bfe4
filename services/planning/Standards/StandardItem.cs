using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Standards;

/// <summary>One published version of the supervision standards library (标到事). Versions are never changed, only added.</summary>
public sealed class StandardVersion
{
    public int Number { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public required string PublishedBy { get; init; }
    public required string Note { get; init; }
}

/// <summary>A measurable supervision item: indicator, comparison and threshold, with its policy basis.</summary>
public sealed record StandardItem
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    /// <summary>Stable across versions; rounds choose items by code.</summary>
    public required string Code { get; init; }
    public SupervisionDomain Domain { get; init; }
    public TargetKind Level { get; init; }
    public required string Indicator { get; init; }
    public Comparison Comparison { get; init; }
    public decimal Threshold { get; init; }
    public required string Unit { get; init; }
    public required string PolicyBasis { get; init; }
}

public enum SupervisionDomain
{
    [Description("乡村振兴"), JsonStringEnumMemberName("rural-revitalisation")] RuralRevitalisation,
    [Description("民生保障"), JsonStringEnumMemberName("livelihood")] Livelihood,
    [Description("基层党建"), JsonStringEnumMemberName("grassroots-party-building")] GrassrootsPartyBuilding,
    [Description("全面从严治党"), JsonStringEnumMemberName("strict-party-governance")] StrictPartyGovernance,
}

public enum Comparison
{
    [Description("不超过"), JsonStringEnumMemberName("at-most")] AtMost,
    [Description("不低于"), JsonStringEnumMemberName("at-least")] AtLeast,
    [Description("等于"), JsonStringEnumMemberName("equals")] EqualTo,
}

internal sealed class StandardConfiguration : IEntityTypeConfiguration<StandardVersion>, IEntityTypeConfiguration<StandardItem>
{
    public void Configure(EntityTypeBuilder<StandardVersion> e)
    {
        e.ToTable("standard_versions");
        e.HasKey(x => x.Number);
        e.Property(x => x.Number).ValueGeneratedNever();
        e.Property(x => x.PublishedBy).HasMaxLength(200);
        e.Property(x => x.Note).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<StandardItem> e)
    {
        e.ToTable("standard_items");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.Version, x.Code }).IsUnique();
        e.HasOne<StandardVersion>().WithMany().HasForeignKey(x => x.Version).OnDelete(DeleteBehavior.Restrict);
        e.Property(x => x.Code).HasMaxLength(40);
        e.Property(x => x.Domain).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.Level).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.Comparison).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.Threshold).HasPrecision(14, 2);
        e.Property(x => x.Indicator).HasMaxLength(500);
        e.Property(x => x.Unit).HasMaxLength(40);
        e.Property(x => x.PolicyBasis).HasMaxLength(1000);
    }
}
