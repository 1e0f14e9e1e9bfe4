using System.ComponentModel;

namespace Xuncha.Rectification.Cases;

/// <summary>
/// One inspected unit's rectification after one round (整改): its problems, the plan and ledger of tasks. Opened by the
/// feedback; an immediate-rectification item or a returned clue that arrives first opens it early and the feedback completes it.
/// </summary>
public sealed class RectificationCase
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string TargetCode { get; set; } = "";
    public string TargetName { get; set; } = "";
    /// <summary>The directing jurisdiction (whose committee ran the round).</summary>
    public string Jurisdiction { get; set; } = "";
    /// <summary>Root → … → the unit itself.</summary>
    public string[] JurisdictionPath { get; set; } = [];
    public Guid? FeedbackId { get; set; }
    public DateOnly? FeedbackOn { get; set; }
    public DateOnly? PlanDueOn { get; set; }
    public PlanStatus PlanStatus { get; set; }
    public string? PlanComments { get; set; }
    public DateTimeOffset? PlanSubmittedAt { get; set; }
    public bool PlanLate { get; set; }
    public DateTimeOffset? PlanApprovedAt { get; set; }
    /// <summary>Public disclosure published (整改情况公开).</summary>
    public DateTimeOffset? DisclosedAt { get; set; }
    public DateTimeOffset OpenedAt { get; init; }
    public uint Version { get; set; }

    public List<CaseProblem> Problems { get; init; } = [];

    /// <summary>The unit's own jurisdiction id: the last element of the path.</summary>
    public string UnitJurisdiction => JurisdictionPath.Length > 0 ? JurisdictionPath[^1] : "";
}

public enum PlanStatus
{
    [Description("待提交")] NotSubmitted,
    [Description("已提交待审核")] Submitted,
    [Description("退回修改")] Returned,
    [Description("已批准")] Approved,
}

/// <summary>One problem the unit must rectify, from the feedback, an immediate-rectification request or a returned clue.</summary>
public sealed class CaseProblem
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public ProblemSource Source { get; init; }
    /// <summary>The finding, item or clue id in the sending service (with Source, unique per case).</summary>
    public Guid SourceId { get; init; }
    public string Title { get; set; } = "";
    public string Facts { get; set; } = "";
    public string Suggestion { get; set; } = "";
    /// <summary>An immediate-rectification item's own deadline.</summary>
    public DateOnly? DueOn { get; set; }
    public DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The disclosure checklist's answer for this problem; null until reviewed.</summary>
    public List<DisclosureExclusion>? Exclusions { get; set; }
}

public enum ProblemSource
{
    [Description("巡察反馈")] Feedback,
    [Description("立行立改")] ImmediateRectification,
    [Description("问题线索退回")] ReturnedClue,
}

/// <summary>Reasons a problem is left out of the public version (公开排除清单).</summary>
public enum DisclosureExclusion
{
    [Description("涉及国家秘密或工作秘密")] Secret,
    [Description("涉及尚未办结的案件")] OpenCase,
    [Description("易被炒作")] LikelyHyped,
    [Description("涉及群体性信访")] MassPetition,
    [Description("其他敏感事项")] Sensitive,
}
