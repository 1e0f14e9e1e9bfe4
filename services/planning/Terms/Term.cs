using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuncha.Planning.Terms;

/// <summary>届: a committee's term, whose coverage plan (全覆盖) is every unit, township and village inspected once.</summary>
public sealed class Term
{
    public Guid Id { get; init; }
    public required string Jurisdiction { get; init; }
    public string[] JurisdictionPath { get; init; } = [];
    public required string Name { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    /// <summary>The coverage the plan aims at, in percent (100 = 全覆盖).</summary>
    public decimal CoverageGoal { get; set; } = 100m;
    public DateTimeOffset CreatedAt { get; init; }
    public uint Version { get; set; }
}

internal sealed class TermConfiguration : IEntityTypeConfiguration<Term>
{
    public void Configure(EntityTypeBuilder<Term> e)
    {
        e.ToTable("terms");
        e.HasKey(x => x.Id);
        e.Property(x => x.Jurisdiction).HasMaxLength(100);
        e.HasIndex(x => x.JurisdictionPath).HasMethod("gin");
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.CoverageGoal).HasPrecision(5, 2);
        e.Property(x => x.Version).IsRowVersion();
    }
}
