namespace Xuncha.Contracts.Planning;

/// <summary>第N轮巡察启动: a round approved and launched, with every target, its mode and its dates.</summary>
public sealed record RoundLaunched
{
    public Guid RoundId { get; init; }
    public Guid TermId { get; init; }
    /// <summary>The jurisdiction whose committee directs the round (owner of every record it leaves).</summary>
    public string Jurisdiction { get; init; } = "";
    public int Number { get; init; }
    public string Name { get; init; } = "";
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
    public int GroupsNeeded { get; init; }
    /// <summary>Version of the supervision standards library (标到事) frozen for this round.</summary>
    public int StandardsVersion { get; init; }
    public IReadOnlyList<RoundTarget> Targets { get; init; } = [];
    public DateTimeOffset LaunchedAt { get; init; }
}

public sealed record RoundTarget
{
    public Guid TargetId { get; init; }
    /// <summary>Stable unit code; staffing matches cadres' current/former units and relatives' workplaces against it.</summary>
    public string Code { get; init; } = "";
    public string? ParentCode { get; init; }
    public string Name { get; init; } = "";
    /// <summary>county-department (县直单位) | township (乡镇/街道) | village (村/社区).</summary>
    public string Kind { get; init; } = "";
    /// <summary>regular | special | mobile | cross | escalated | township-with-villages | city-direct | county-direct.</summary>
    public string Mode { get; init; } = "";
    /// <summary>Jurisdiction ids from the root down to the target's own (city, county, township…), for need-to-know checks.</summary>
    public IReadOnlyList<string> JurisdictionPath { get; init; } = [];
    /// <summary>The county/district the target lies in (drives cross-inspection avoidance).</summary>
    public string County { get; init; } = "";
    /// <summary>For villages attached under 巡镇带村: the township target they are inspected with.</summary>
    public Guid? ClusterTargetId { get; init; }
    /// <summary>Cross inspection (交叉巡察): the jurisdictions that supply staff.</summary>
    public IReadOnlyList<string> StaffSourceJurisdictions { get; init; } = [];
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
}
