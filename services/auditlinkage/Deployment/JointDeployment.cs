using System.ComponentModel;

namespace Xuncha.AuditLinkage.Deployment;

/// <summary>巡审联动 for one round and target: the audit team working beside the group and the three-level liaison.</summary>
public sealed class JointDeployment
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public AuditTeam AuditTeam { get; set; } = new("", "", []);
    public List<Liaison> Liaisons { get; set; } = [];
    public required string CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; private set; }
}

public sealed record AuditTeam(string Name, string Leader, IReadOnlyList<string> Members);

public enum LiaisonLevel
{
    [Description("巡察办—审计局")] Office,
    [Description("组长—审计组长")] Leader,
    [Description("联络员—联络员")] Liaison,
}

/// <summary>One level of the liaison: who speaks for the inspection side and who for the audit side.</summary>
public sealed record Liaison(LiaisonLevel Level, string InspectionSide, string AuditSide, string? Contact);

/// <summary>周联席会商: one joint consultation per week, with minutes and the decisions taken.</summary>
public sealed class Consultation
{
    public Guid Id { get; init; }
    public Guid DeploymentId { get; init; }
    /// <summary>The Monday of the week the consultation belongs to.</summary>
    public DateOnly WeekOf { get; init; }
    public DateOnly HeldOn { get; init; }
    public List<string> Attendees { get; init; } = [];
    public required string Minutes { get; init; }
    public List<string> Decisions { get; init; } = [];
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

public enum DataRequestStatus
{
    [Description("待提供")] Open,
    [Description("已提供")] Provided,
    [Description("已撤销")] Cancelled,
}

/// <summary>
/// One line of the shared data-request list (资料调取清单): whichever side asks first creates it, the other side joins
/// it, so the inspected unit is asked once.
/// </summary>
public sealed class DataRequest
{
    public Guid Id { get; init; }
    public Guid DeploymentId { get; init; }
    public required string Item { get; init; }
    /// <summary>The item normalised (whitespace and case folded): equal keys are the same request.</summary>
    public required string ItemKey { get; init; }
    public string? Purpose { get; init; }
    public List<string> RequestedBy { get; set; } = [];
    public DateOnly? DueOn { get; init; }
    public DataRequestStatus Status { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public uint Version { get; private set; }
}
