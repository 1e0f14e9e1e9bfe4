using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuncha.Planning.Progress;

/// <summary>
/// What planning keeps of a group formed by staffing: which accounts belong to it (group roles see only their own
/// round and targets) and who leads it (leaders fill in the five-item checklist).
/// </summary>
public sealed class InspectionGroup
{
    public Guid GroupId { get; init; }
    public Guid RoundId { get; set; }
    public required string Name { get; set; }
    public int Version { get; set; }
    public string[] MemberSubjects { get; set; } = [];
    public string[] LeaderSubjects { get; set; } = [];
}

internal sealed class InspectionGroupConfiguration : IEntityTypeConfiguration<InspectionGroup>
{
    public void Configure(EntityTypeBuilder<InspectionGroup> e)
    {
        e.ToTable("inspection_groups");
        e.HasKey(x => x.GroupId);
        e.HasIndex(x => x.RoundId);
        e.Property(x => x.Name).HasMaxLength(200);
    }
}
