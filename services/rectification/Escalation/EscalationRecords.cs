using System.ComponentModel;

namespace Xuncha.Rectification.Escalation;

/// <summary>One rung of the ladder reached by one task; unique per (task, step), so no step is ever issued twice.</summary>
public sealed class EscalationNotice
{
    public Guid Id { get; init; }
    public Guid TaskId { get; init; }
    public Guid CaseId { get; init; }
    public EscalationStep Step { get; init; }
    public int OverdueWorkingDays { get; init; }
    public DateOnly IssuedOn { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
}

public enum EscalationStep
{
    [Description("临期预警")] Approaching,
    [Description("逾期")] Overdue,
    [Description("提醒函")] ReminderLetter,
    [Description("督办单")] SupervisionOrder,
}

/// <summary>The situations (情形) in which the office recommends interviewing the unit's principal (约谈).</summary>
public enum InterviewSituation
{
    [Description("整改任务逾期超过规定期限")] OverdueBeyondLimit,
    [Description("虚假整改")] FalseRectification,
    [Description("销号后问题反弹")] ReboundAfterClosure,
    [Description("整改评估等次为基本合格或不合格")] PoorEvaluation,
}

/// <summary>约谈: recommended when a situation holds, then held and recorded with the interviewee's commitments.</summary>
public sealed class Interview
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public InterviewSituation Situation { get; init; }
    public string Detail { get; init; } = "";
    public Guid? TaskId { get; init; }
    public DateTimeOffset RecommendedAt { get; init; }
    public string? Interviewer { get; set; }
    public string? Interviewee { get; set; }
    public DateOnly? HeldOn { get; set; }
    public List<string> Commitments { get; set; } = [];
    public List<Guid> LinkedTaskIds { get; set; } = [];
    public Guid? FollowUpId { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
    public uint Version { get; set; }
}
