namespace Xuncha.Contracts.Staffing;

/// <summary>巡察组组建: the office confirmed a group for a round's target(s).</summary>
public sealed record GroupFormed
{
    public Guid GroupId { get; init; }
    public Guid RoundId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<Guid> TargetIds { get; init; } = [];
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
    public IReadOnlyList<GroupMember> Members { get; init; } = [];
    /// <summary>Increases with every change; consumers keep the highest they have seen.</summary>
    public int Version { get; init; }
    public DateTimeOffset FormedAt { get; init; }
}

/// <summary>A later adjustment to a confirmed group: the full membership as it now stands.</summary>
public sealed record GroupChanged
{
    public Guid GroupId { get; init; }
    public Guid RoundId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<Guid> TargetIds { get; init; } = [];
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
    public IReadOnlyList<GroupMember> Members { get; init; } = [];
    public int Version { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset ChangedAt { get; init; }
}

public sealed record GroupMember
{
    public Guid CadreId { get; init; }
    public string Name { get; init; } = "";
    /// <summary>leader (组长) | deputy-leader (副组长) | member (组员).</summary>
    public string Role { get; init; } = "";
    public IReadOnlyList<string> Specialties { get; init; } = [];
    /// <summary>The member's platform account (the token's "sub"), when the cadre has one.</summary>
    public string? AccountSubject { get; init; }
}
