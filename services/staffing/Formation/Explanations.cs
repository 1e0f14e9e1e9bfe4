namespace Xuncha.Staffing.Formation;

/// <summary>A hard rule that a group or a cadre fails: which rule, for which target, why.</summary>
public sealed record RuleViolation(string Rule, string Detail, Guid? CadreId = null, Guid? TargetId = null);

/// <summary>A cadre kept out of a group by named rules.</summary>
public sealed record Exclusion(Guid CadreId, string Name, IReadOnlyList<ExclusionReason> Reasons);

public sealed record ExclusionReason(string Rule, string Title, string Reason);

/// <summary>Why a group looks the way it does: the objective, the score, each rule-based exclusion, how many eligible cadres were not picked.</summary>
public sealed record GroupExplanation
{
    public string Objective { get; init; } = "";
    public double Score { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>Cadres barred for this group's target(s) by target-specific rules (unit, relative, county, previous round).</summary>
    public IReadOnlyList<Exclusion> Exclusions { get; init; } = [];
    public int EligibleNotChosen { get; init; }
}
