namespace Xuncha.Contracts.AuditLinkage;

/// <summary>一巡察两报告: a cross-verified audit finding shared into the group's problem list.</summary>
public sealed record AuditFindingShared
{
    public Guid FindingId { get; init; }
    public Guid RoundId { get; init; }
    public Guid GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Title { get; init; } = "";
    public string Facts { get; init; } = "";
    public decimal? Amount { get; init; }
    public DateTimeOffset SharedAt { get; init; }
}

/// <summary>大数据比对: rule hits that become suggested problems for the group.</summary>
public sealed record ComparisonHitsFound
{
    public Guid RunId { get; init; }
    public Guid RoundId { get; init; }
    public Guid? GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<ComparisonHit> Hits { get; init; } = [];
    public DateTimeOffset FoundAt { get; init; }
}

public sealed record ComparisonHit
{
    public Guid HitId { get; init; }
    public string Rule { get; init; } = "";
    public string Summary { get; init; } = "";
    public decimal? Amount { get; init; }
}
