using System.ComponentModel;

namespace Xuncha.Staffing.Cadres;

/// <summary>A cadre in the talent pool (巡察人才库): who they are, where they work and worked, and what bars them from which unit.</summary>
public sealed class Cadre
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    /// <summary>Keyed hash (HMAC-SHA256) of the identity number: lets an import match a person without storing the number.</summary>
    public string? IdentityHash { get; set; }
    /// <summary>Jurisdiction ids from the root to the cadre's home county/district (need-to-know and the pool of a round).</summary>
    public List<string> JurisdictionPath { get; set; } = [];
    /// <summary>The county/district the cadre comes from (籍贯/工作地); drives cross-inspection avoidance.</summary>
    public string HomeJurisdiction => JurisdictionPath.Count > 0 ? JurisdictionPath[^1] : "";
    public required string CurrentUnitCode { get; set; }
    public string CurrentUnitName { get; set; } = "";
    public List<FormerUnit> FormerUnits { get; set; } = [];
    public List<DeclaredRelative> Relatives { get; set; } = [];
    public List<string> Specialties { get; set; } = [];
    public Employment Employment { get; set; }
    /// <summary>Works at township level (乡镇干部): may not be seconded to a group.</summary>
    public bool IsTownshipLevel { get; set; }
    public LeadershipGrade Grade { get; set; }
    /// <summary>When the cadre can be seconded; none declared means always.</summary>
    public List<AvailabilityWindow> Availability { get; set; } = [];
    /// <summary>Rounds served in total, including those before the platform.</summary>
    public int RoundsServed { get; set; }
    /// <summary>Secondments: the rounds, units and periods served (confirmed groups append here).</summary>
    public List<ServiceRecord> Services { get; set; } = [];
    /// <summary>The cadre's platform account (the token's "sub"), when they have one.</summary>
    public string? AccountSubject { get; set; }
    public bool Archived { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency (PostgreSQL xmin).</summary>
    public uint Version { get; set; }

    public bool IsNewcomer => RoundsServed == 0;
}

public sealed record FormerUnit(string UnitCode, string UnitName, DateOnly From, DateOnly To);

public sealed record DeclaredRelative(string Name, string Relation, string UnitCode, string UnitName);

public sealed record AvailabilityWindow(DateOnly From, DateOnly To);

/// <summary>One secondment: which round of which jurisdiction, which units, which period.</summary>
public sealed record ServiceRecord(Guid RoundId, int RoundNumber, string Jurisdiction, Guid GroupId, IReadOnlyList<string> TargetCodes, DateOnly StartsOn, DateOnly EndsOn, string Role);

public enum Employment
{
    [Description("专职巡察干部")] FullTime,
    [Description("抽调干部")] Seconded,
}

/// <summary>The highest group role the cadre may hold.</summary>
public enum LeadershipGrade
{
    [Description("可任组员")] Member,
    [Description("可任副组长")] Deputy,
    [Description("可任组长")] Leader,
}
