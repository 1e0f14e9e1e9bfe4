using Xuncha.Staffing.Cadres;

namespace Xuncha.Staffing.Avoidance;

/// <summary>
/// The avoidance and composition settings of one jurisdiction (the committee that directs a round). A round uses the
/// policy of the nearest jurisdiction on its path that has one, else the configured defaults (section "Staffing:Policy").
/// </summary>
public sealed class StaffingPolicy
{
    public string Jurisdiction { get; set; } = "";
    /// <summary>A former unit counts for avoidance if the cadre left it less than this many years before the round.</summary>
    public int FormerUnitYears { get; set; } = 5;
    /// <summary>Rotation: at most this many consecutive rounds.</summary>
    public int MaxConsecutiveRounds { get; set; } = 2;
    public int MinGroupSize { get; set; } = 5;
    public int MaxGroupSize { get; set; } = 9;
    /// <summary>The size the proposal aims for (within min and max).</summary>
    public int PreferredGroupSize { get; set; } = 7;
    public int MinDeputies { get; set; } = 1;
    public int MaxDeputies { get; set; } = 2;
    /// <summary>Cross inspection (交叉巡察): at least this share of a group comes from outside the target's county.</summary>
    public double CrossMinNonLocalShare { get; set; } = 0.7;
    /// <summary>Cross inspection: at least one local member (本地人员) to know the ground.</summary>
    public bool CrossRequireLocal { get; set; } = true;
    /// <summary>Rounds served after which a cadre counts as experienced (业务骨干) and may mentor a newcomer.</summary>
    public int ExperiencedAfterRounds { get; set; } = 2;
    public List<string> RequiredSpecialties { get; set; } = [.. Specialties.SixCore];
    /// <summary>Avoidance rules this jurisdiction switches off (by name).</summary>
    public List<string> DisabledRules { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }

    public bool IsExperienced(Cadre cadre) => cadre.RoundsServed >= ExperiencedAfterRounds;

    /// <summary>How many locals a cross-inspection group of <paramref name="size"/> may have.</summary>
    public int MaxLocals(int size) => size - (int)Math.Ceiling(CrossMinNonLocalShare * size - 1e-9);

    public bool IsEnabled(string rule) => !DisabledRules.Contains(rule, StringComparer.Ordinal);

    /// <summary>Problems with the settings themselves, by field name.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (FormerUnitYears is < 0 or > 50) errors[nameof(FormerUnitYears)] = ["must be 0–50"];
        if (MaxConsecutiveRounds is < 1 or > 50) errors[nameof(MaxConsecutiveRounds)] = ["must be 1–50"];
        if (MinGroupSize < 3 || MaxGroupSize > 30 || MinGroupSize > MaxGroupSize) errors[nameof(MinGroupSize)] = ["need 3 ≤ min ≤ max ≤ 30"];
        if (PreferredGroupSize < MinGroupSize || PreferredGroupSize > MaxGroupSize) errors[nameof(PreferredGroupSize)] = ["must lie within min and max"];
        if (MinDeputies < 0 || MaxDeputies < MinDeputies || MaxDeputies > 5) errors[nameof(MinDeputies)] = ["need 0 ≤ min ≤ max ≤ 5"];
        if (CrossMinNonLocalShare is < 0 or > 1 || double.IsNaN(CrossMinNonLocalShare)) errors[nameof(CrossMinNonLocalShare)] = ["must be 0–1"];
        if (ExperiencedAfterRounds is < 1 or > 20) errors[nameof(ExperiencedAfterRounds)] = ["must be 1–20"];
        if (RequiredSpecialties.Any(s => !Specialties.IsKnown(s))) errors[nameof(RequiredSpecialties)] = [$"known specialties: {string.Join(", ", Specialties.Names.Keys)}"];
        if (DisabledRules.Any(r => !AvoidanceRules.All.Any(a => a.Name == r))) errors[nameof(DisabledRules)] = [$"known rules: {string.Join(", ", AvoidanceRules.All.Select(r => r.Name))}"];
        return errors;
    }

    /// <summary>A detached copy (the configured defaults must not be changed by one request).</summary>
    public StaffingPolicy Copy()
    {
        var copy = (StaffingPolicy)MemberwiseClone();
        copy.RequiredSpecialties = [.. RequiredSpecialties];
        copy.DisabledRules = [.. DisabledRules];
        return copy;
    }
}
