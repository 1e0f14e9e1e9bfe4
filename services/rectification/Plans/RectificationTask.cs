using System.ComponentModel;

namespace Xuncha.Rectification.Plans;

/// <summary>
/// A ledger line (整改台账): a problem's measures with owners at three levels (第一责任人、具体责任人、整改联络员) and a deadline.
/// </summary>
public sealed class RectificationTask
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public Guid ProblemId { get; set; }
    public string Measures { get; set; } = "";
    public string FirstResponsible { get; set; } = "";
    public string Responsible { get; set; } = "";
    public string Liaison { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public TaskTerm Term { get; set; }
    public LedgerStatus Status { get; set; }
    public string? ClosureSummary { get; set; }
    public string? ReviewComments { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public bool FalseRectification { get; set; }
    public bool Rebounded { get; set; }
    public EscalationLevel Level { get; set; }
    /// <summary>The China date of the last escalation scan that looked at this task (one pass per day).</summary>
    public DateOnly? ScannedOn { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the plan was approved and work began; the weekly-update clock starts here.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? LastUpdateAt { get; set; }
    public uint Version { get; set; }

    public bool IsOpen => Status is LedgerStatus.InProgress or LedgerStatus.ClosureRequested;
}

public enum TaskTerm
{
    [Description("短期整改（1个月内）")] ShortTerm,
    [Description("长期整改")] LongTerm,
}

public enum LedgerStatus
{
    [Description("草拟")] Draft,
    [Description("整改中")] InProgress,
    [Description("申请销号")] ClosureRequested,
    [Description("已销号")] Closed,
}

public enum EscalationLevel
{
    [Description("正常")] None,
    [Description("黄色预警（临期）")] Yellow,
    [Description("红色预警（逾期）")] Red,
}
