using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuncha.Planning.Rounds;

namespace Xuncha.Planning.Classification;

/// <summary>
/// 重点村 rules of one jurisdiction (seed 002): a village is key when any threshold is reached or it is flagged; the nearest
/// rule set on a village's path applies.
/// </summary>
public sealed class ClassificationRuleSet
{
    public required string Jurisdiction { get; init; }
    public string[] JurisdictionPath { get; set; } = [];
    /// <summary>经济体量 at or above this (万元) makes a village key.</summary>
    public decimal EconomicSizeAtLeast { get; set; } = 1000m;
    public int PetitionsAtLeast { get; set; } = 5;
    public int ProjectsAtLeast { get; set; } = 5;
    /// <summary>专项资金 at or above this (万元).</summary>
    public decimal SpecialFundsAtLeast { get; set; } = 300m;
    public bool WeakPartyOrganisationIsKey { get; set; } = true;
    public bool DataAnomalyIsKey { get; set; } = true;
    /// <summary>How key villages are inspected: directly, cross or escalated (非重点村 go township-with-villages).</summary>
    public InspectionMode KeyVillageMode { get; set; } = InspectionMode.CountyDirect;
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "system";
    public uint Version { get; set; }

    /// <summary>The rules that apply where no office has set its own.</summary>
    public static ClassificationRuleSet Default(string jurisdiction) => new() { Jurisdiction = jurisdiction, JurisdictionPath = [jurisdiction] };
}

internal sealed class ClassificationRuleSetConfiguration : IEntityTypeConfiguration<ClassificationRuleSet>
{
    public void Configure(EntityTypeBuilder<ClassificationRuleSet> e)
    {
        e.ToTable("classification_rule_sets");
        e.HasKey(x => x.Jurisdiction);
        e.Property(x => x.Jurisdiction).HasMaxLength(100);
        e.Property(x => x.EconomicSizeAtLeast).HasPrecision(14, 2);
        e.Property(x => x.SpecialFundsAtLeast).HasPrecision(14, 2);
        e.Property(x => x.KeyVillageMode).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.UpdatedBy).HasMaxLength(200);
        e.Property(x => x.Version).IsRowVersion();
    }
}
