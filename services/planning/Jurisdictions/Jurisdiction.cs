using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuncha.Planning.Jurisdictions;

/// <summary>A Party committee's jurisdiction (市 or 县/区); townships and villages below it are inspection targets.</summary>
public sealed class Jurisdiction
{
    public required string Id { get; init; }
    public string? ParentId { get; init; }
    public required string Name { get; set; }
    public JurisdictionLevel Level { get; init; }
    /// <summary>Ids from the root down to this one, for need-to-know checks.</summary>
    public string[] Path { get; init; } = [];
}

public enum JurisdictionLevel
{
    [Description("省"), JsonStringEnumMemberName("province")] Province,
    [Description("市"), JsonStringEnumMemberName("city")] City,
    [Description("县/区"), JsonStringEnumMemberName("county")] County,
}

internal sealed class JurisdictionConfiguration : IEntityTypeConfiguration<Jurisdiction>
{
    public void Configure(EntityTypeBuilder<Jurisdiction> e)
    {
        e.ToTable("jurisdictions");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(100);
        e.Property(x => x.ParentId).HasMaxLength(100);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Level).HasConversion<string>().HasMaxLength(20);
        e.HasIndex(x => x.Path).HasMethod("gin");
    }
}
