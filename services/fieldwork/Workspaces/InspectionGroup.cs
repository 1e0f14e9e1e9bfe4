using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Workspaces;

/// <summary>Local read model of a confirmed group (from staffing's GroupFormed/GroupChanged): who may see its workspaces.</summary>
public sealed class InspectionGroup
{
    public Guid Id { get; init; }
    public Guid RoundId { get; set; }
    public string Jurisdiction { get; set; } = "";
    public string Name { get; set; } = "";
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public List<Guid> TargetIds { get; set; } = [];
    public List<GroupMemberEntry> Members { get; set; } = [];
    /// <summary>Highest staffing version applied; an older message never overwrites a newer roster.</summary>
    public int RosterVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public GroupMemberEntry? MemberFor(string subject) =>
        subject.Length == 0 ? null : Members.FirstOrDefault(m => string.Equals(m.AccountSubject, subject, StringComparison.Ordinal));

    internal static void Configure(ModelBuilder model) => model.Entity<InspectionGroup>(e =>
    {
        e.ToTable("inspection_groups");
        e.Property(x => x.Jurisdiction).HasMaxLength(100);
        e.Property(x => x.Name).HasMaxLength(200);
        e.ComplexCollection(x => x.Members, b =>
        {
            b.ToJson();
            b.Property(m => m.CadreId).HasJsonPropertyName("cadreId");
            b.Property(m => m.Name).HasJsonPropertyName("name");
            b.Property(m => m.Role).HasJsonPropertyName("role");
            b.Property(m => m.AccountSubject).HasJsonPropertyName("accountSubject");
        });
    });
}

/// <summary>leader (组长) | deputy-leader (副组长) | member (组员), as staffing assigned it.</summary>
public sealed record GroupMemberEntry
{
    public Guid CadreId { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string? AccountSubject { get; init; }

    public const string Leader = "leader";
    public const string Deputy = "deputy-leader";
    public const string Member = "member";
}
