namespace Xuncha.AuditLinkage.Runs;

/// <summary>
/// One execution of library rules against a round's datasets for a target. It freezes what it used — each rule's
/// version and compiled SQL, each dataset version — so its hits remain evidence after rules or data change.
/// </summary>
public sealed class ComparisonRun
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public Guid? GroupId { get; init; }
    public List<FrozenRule> Rules { get; set; } = [];
    public List<FrozenDataset> Datasets { get; init; } = [];
    public int HitCount { get; set; }
    public required string RanBy { get; init; }
    public DateTimeOffset RanAt { get; init; }
}

/// <summary>
/// A rule as a run used it: its version, hits, the SQL it compiled to and how long that SQL took — in all; selecting the
/// hits with their evidence (the hits are stored as they arrive); and storing what was left after the last hit.
/// </summary>
public sealed record FrozenRule(string Code, int Version, string Name, int Hits, IReadOnlyList<string> Sql, long Milliseconds,
    long SelectMilliseconds = 0, long StoreMilliseconds = 0);

public sealed record FrozenDataset(string Kind, Guid VersionId, int Number, long Rows);

/// <summary>A hit: the rule (and version) that found it, a Chinese summary, the amount at stake and the evidence rows as imported.</summary>
public sealed class ComparisonHitRow
{
    public Guid Id { get; init; }
    public Guid RunId { get; init; }
    public required string RuleCode { get; init; }
    public int RuleVersion { get; init; }
    public required string Summary { get; init; }
    public decimal? Amount { get; init; }
    public required string Evidence { get; init; }
}
