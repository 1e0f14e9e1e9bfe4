using System.ComponentModel;

namespace Xuncha.Rectification.FollowUps;

/// <summary>回头看: a scheduled re-check of a closed task (or of an interviewed unit's commitments) and its result.</summary>
public sealed class FollowUp
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public Guid? TaskId { get; init; }
    public Guid? InterviewId { get; init; }
    public FollowUpKind Kind { get; init; }
    /// <summary>1 for the first re-check of a task, 2 for the next quarter's, …</summary>
    public int Sequence { get; init; }
    public DateOnly DueOn { get; init; }
    public FollowUpOutcome? Outcome { get; set; }
    public string? Findings { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
    public string? RecordedBy { get; set; }
    public uint Version { get; set; }
}

public enum FollowUpKind
{
    [Description("短期任务销号后一个月内回头看")] ShortTermMonthly,
    [Description("长期任务每季度督查")] LongTermQuarterly,
    [Description("约谈承诺事项回访")] InterviewCommitments,
}

public enum FollowUpOutcome
{
    [Description("整改成果巩固")] Consolidated,
    [Description("问题反弹")] Rebounded,
}
