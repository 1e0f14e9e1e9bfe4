using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuncha.Planning.Targets;

/// <summary>被巡察对象: a county department, a township/street or a village/community, with what classification reads.</summary>
public sealed class Target
{
    public Guid Id { get; init; }
    public required string Code { get; init; }
    /// <summary>Village → its township's code; township and department → their county's id.</summary>
    public required string ParentCode { get; set; }
    public required string Name { get; set; }
    public TargetKind Kind { get; init; }
    public string[] JurisdictionPath { get; set; } = [];
    public required string County { get; set; }
    public TargetAttributes Attributes { get; set; } = new();
    /// <summary>The office's decision that overrides the rules (重点村/非重点村), with its reason, who and when.</summary>
    public bool? OverrideKey { get; set; }
    public string? OverrideReason { get; set; }
    public string? OverrideBy { get; set; }
    public DateTimeOffset? OverrideAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }

    /// <summary>
    /// A target's id follows from its code, so every service (and the demo seeds) can name it without asking:
    /// a name-based UUID over "planning-target:" + code.
    /// </summary>
    public static Guid IdFor(string code) => Codes.NameBased("planning-target:" + code);
}

/// <summary>Figures the classification rules read (seed 002: 经济体量、信访、工程项目、专项资金、软弱涣散、大数据异常).</summary>
public sealed record TargetAttributes
{
    /// <summary>Economic size, 万元.</summary>
    public decimal EconomicSize { get; init; }
    public int Petitions { get; init; }
    public int Projects { get; init; }
    /// <summary>Special funds volume, 万元.</summary>
    public decimal SpecialFunds { get; init; }
    public bool WeakPartyOrganisation { get; init; }
    public bool DataAnomaly { get; init; }
}

public enum TargetKind
{
    [Description("县直单位"), JsonStringEnumMemberName("county-department")] CountyDepartment,
    [Description("乡镇"), JsonStringEnumMemberName("township")] Township,
    [Description("村"), JsonStringEnumMemberName("village")] Village,
}

public static class TargetKinds
{
    public static string Code(this TargetKind kind) => Codes.Of(kind);
}

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> e)
    {
        e.ToTable("targets");
        e.HasKey(x => x.Id);
        e.Property(x => x.Code).HasMaxLength(100);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.ParentCode).HasMaxLength(100);
        e.HasIndex(x => x.ParentCode);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.County).HasMaxLength(100);
        e.HasIndex(x => x.JurisdictionPath).HasMethod("gin");
        e.ComplexProperty(x => x.Attributes, a =>
        {
            a.Property(p => p.EconomicSize).HasColumnName("economic_size").HasPrecision(14, 2);
            a.Property(p => p.Petitions).HasColumnName("petitions");
            a.Property(p => p.Projects).HasColumnName("projects");
            a.Property(p => p.SpecialFunds).HasColumnName("special_funds").HasPrecision(14, 2);
            a.Property(p => p.WeakPartyOrganisation).HasColumnName("weak_party_organisation");
            a.Property(p => p.DataAnomaly).HasColumnName("data_anomaly");
        });
        e.Property(x => x.OverrideReason).HasMaxLength(500);
        e.Property(x => x.OverrideBy).HasMaxLength(200);
        e.Property(x => x.Version).IsRowVersion();
    }
}
