namespace Xuncha.AuditLinkage.Rounds;

/// <summary>The round as planning launched it: enough to scope every record here to a round, its targets and its jurisdiction.</summary>
public sealed class RoundView
{
    public Guid Id { get; init; }
    public required string Jurisdiction { get; init; }
    /// <summary>Root → the directing committee's jurisdiction; need-to-know checks run on it.</summary>
    public List<string> JurisdictionPath { get; init; } = [];
    public int Number { get; init; }
    public required string Name { get; init; }
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
    public List<TargetView> Targets { get; init; } = [];
    public DateTimeOffset LaunchedAt { get; init; }
}

public sealed record TargetView(Guid TargetId, string Code, string Name, string Kind, IReadOnlyList<string> JurisdictionPath);

/// <summary>A confirmed group as staffing last described it (highest version wins).</summary>
public sealed class GroupView
{
    public Guid Id { get; init; }
    public Guid RoundId { get; set; }
    public required string Name { get; set; }
    public List<Guid> TargetIds { get; set; } = [];
    public List<MemberView> Members { get; set; } = [];
    /// <summary>The members' platform accounts (token "sub"), kept apart so membership is one indexed array test.</summary>
    public List<string> MemberSubjects { get; set; } = [];
    public int Version { get; set; }
}

public sealed record MemberView(Guid CadreId, string Name, string Role, string? AccountSubject);
