namespace Xuncha.Contracts.Rectification;

public sealed record RectificationPlanSubmitted
{
    public Guid PlanId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public int TaskCount { get; init; }
    public bool Late { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>销号: a task closed with evidence and the office's approval.</summary>
public sealed record RectificationTaskClosed
{
    public Guid TaskId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public DateTimeOffset ClosedAt { get; init; }
}

/// <summary>
/// A closed task open again — found to be 虚假整改 or to have rebounded at 回头看 — so whoever counted its
/// RectificationTaskClosed (completion rates) takes it back. Reason: "false-rectification" or "rebound".
/// </summary>
public sealed record RectificationTaskReopened
{
    public const string FalseRectification = "false-rectification";
    public const string Rebound = "rebound";

    public Guid TaskId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset ReopenedAt { get; init; }
}

public sealed record RectificationTaskOverdue
{
    public Guid TaskId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public DateOnly DueOn { get; init; }
    public DateTimeOffset DetectedAt { get; init; }
}

/// <summary>约谈: a leader of a poorly rectifying unit should be interviewed; the reason names the situation that applies.</summary>
public sealed record InterviewRecommended
{
    public Guid InterviewId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Situation { get; init; } = "";
    public DateTimeOffset RecommendedAt { get; init; }
}

/// <summary>整改评估: scored checklist plus public satisfaction for one target.</summary>
public sealed record RectificationEvaluated
{
    public Guid EvaluationId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public decimal Score { get; init; }
    public decimal SatisfactionRate { get; init; }
    public int TasksTotal { get; init; }
    public int TasksClosed { get; init; }
    public decimal FundsRecovered { get; init; }
    public int RulesEstablished { get; init; }
    public int PeopleHandled { get; init; }
    public DateTimeOffset EvaluatedAt { get; init; }
}
