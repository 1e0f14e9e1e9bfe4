namespace Xuncha.Contracts.Fieldwork;

/// <summary>A working paper (问题底稿) passed "五见两清" and was recorded as a problem.</summary>
public sealed record FindingRecorded
{
    public Guid FindingId { get; init; }
    public Guid RoundId { get; init; }
    public Guid GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Title { get; init; } = "";
    /// <summary>Supervision standard item (标到事) the problem was measured against, when any.</summary>
    public Guid? StandardItemId { get; init; }
    /// <summary>ordinary | immediate-rectification | clue.</summary>
    public string Disposition { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>A problem about an individual's conduct, handed to the clue registry. Carries the contents the clue officer needs.</summary>
public sealed record ClueRaised
{
    public Guid ClueId { get; init; }
    public Guid RoundId { get; init; }
    public Guid GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string TargetName { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<string> JurisdictionPath { get; init; } = [];
    public IReadOnlyList<string> InvolvedPersons { get; init; } = [];
    public string Allegation { get; init; } = "";
    public IReadOnlyList<string> EvidenceReferences { get; init; } = [];
    /// <summary>petition | interview | audit | data | document-review | visit.</summary>
    public string Source { get; init; } = "";
    public DateTimeOffset RaisedAt { get; init; }
}

/// <summary>立行立改: a simple problem the unit must fix during fieldwork.</summary>
public sealed record ImmediateRectificationRequested
{
    public Guid ItemId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string TargetName { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<string> JurisdictionPath { get; init; } = [];
    public string Problem { get; init; } = "";
    public DateOnly DueOn { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
}

public sealed record ReportSubmitted
{
    public Guid ReportId { get; init; }
    public Guid RoundId { get; init; }
    public Guid GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public int ProblemCount { get; init; }
    public int ClueCount { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>反馈: the findings delivered to the inspected organisation with the rectification notice (整改通知书).</summary>
public sealed record FeedbackDelivered
{
    public Guid FeedbackId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string TargetCode { get; init; } = "";
    public string TargetName { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<string> JurisdictionPath { get; init; } = [];
    public IReadOnlyList<FeedbackProblem> Problems { get; init; } = [];
    /// <summary>Days the unit has to submit its rectification plan.</summary>
    public int PlanDueDays { get; init; }
    public DateTimeOffset DeliveredAt { get; init; }
}

public sealed record FeedbackProblem
{
    public Guid FindingId { get; init; }
    public string Title { get; init; } = "";
    public string Facts { get; init; } = "";
    public string Suggestion { get; init; } = "";
}

/// <summary>The group's fieldwork on a target is over; the figures feed planning's statistics and staffing's evaluations.</summary>
public sealed record FieldworkCompleted
{
    public Guid RoundId { get; init; }
    public Guid GroupId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public int ProblemsFound { get; init; }
    public int CluesRaised { get; init; }
    public int PetitionsReceived { get; init; }
    public IReadOnlyList<MemberContribution> Contributions { get; init; } = [];
    public DateTimeOffset CompletedAt { get; init; }
}

public sealed record MemberContribution
{
    public Guid CadreId { get; init; }
    public int ProblemsFound { get; init; }
    public int WorkingPapersAccepted { get; init; }
    public int WorkingPapersReturned { get; init; }
}
