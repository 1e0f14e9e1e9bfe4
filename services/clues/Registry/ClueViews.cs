using Xuncha.Clues.Handling;

namespace Xuncha.Clues.Registry;

public sealed record OutcomeView(int OrganisationalHandlings, int CasesFiled, int Sanctions, int JudicialTransfers, decimal FundsRecovered);

public sealed record StatusChangeView(ClueStatus From, ClueStatus To, string ToLabel, DateTimeOffset At, string By, string? Reason, string? CommissionReference);

public sealed record ClueView(
    Guid Id, Guid RoundId, Guid? GroupId, Guid TargetId, string TargetName, string Jurisdiction, IReadOnlyList<string> JurisdictionPath,
    IReadOnlyList<string> InvolvedPersons, AllegationCategory Category, string CategoryLabel, string Summary, IReadOnlyList<string> EvidenceReferences,
    ClueSource Source, string SourceLabel, Sensitivity Sensitivity, string SensitivityLabel, DateTimeOffset RaisedAt,
    ClueStatus Status, string StatusLabel, Destination? Destination, string? HoldReason, DateOnly? TransferredOn, DateOnly? FeedbackDueOn,
    bool Overdue, string? CommissionReference, OutcomeView Outcome, uint Version, IReadOnlyList<StatusChangeView> History)
{
    public static ClueView Of(Clue c, DateOnly today) => new(
        c.Id, c.RoundId, c.GroupId, c.TargetId, c.TargetName, c.Jurisdiction, c.JurisdictionPath, c.InvolvedPersons,
        c.Category, Terms.Label(c.Category), c.Summary, c.EvidenceReferences, c.Source, Terms.Label(c.Source), c.Sensitivity, Terms.Label(c.Sensitivity),
        c.RaisedAt, c.Status, Terms.Label(c.Status), c.Destination, c.HoldReason, c.TransferredOn, c.FeedbackDueOn,
        IsOverdue(c, today), c.CommissionReference,
        new OutcomeView(c.OrganisationalHandlings, c.CasesFiled, c.Sanctions, c.JudicialTransfers, c.FundsRecovered), c.Version,
        [.. c.History.OrderBy(h => h.At).Select(h => new StatusChangeView(h.From, h.To, Terms.Label(h.To), h.At, h.By, h.Reason, h.CommissionReference))]);

    public static bool IsOverdue(Clue c, DateOnly today) =>
        c.FeedbackDueOn is { } due && due < today && ClueStateMachine.AwaitingFeedback.Contains(c.Status);
}

/// <summary>A list row: enough to pick a clue, no persons or allegation text.</summary>
public sealed record ClueListItem(
    Guid Id, Guid RoundId, string TargetName, string Jurisdiction, AllegationCategory Category, Sensitivity Sensitivity,
    ClueStatus Status, string StatusLabel, DateTimeOffset RaisedAt, DateOnly? TransferredOn, DateOnly? FeedbackDueOn, bool Overdue);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
