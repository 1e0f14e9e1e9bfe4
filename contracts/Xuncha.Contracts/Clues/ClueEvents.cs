namespace Xuncha.Contracts.Clues;

/// <summary>移交: after joint assessment (会商研判) the clue went to the commission. No clue contents travel in this event.</summary>
public sealed record ClueTransferred
{
    public Guid ClueId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string LetterNumber { get; init; } = "";
    public string ReceivingOffice { get; init; } = "";
    public DateTimeOffset TransferredAt { get; init; }
}

/// <summary>The assessment returned the clue as an ordinary problem for the unit to rectify.</summary>
public sealed record ClueReturnedAsProblem
{
    public Guid ClueId { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public string TargetName { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<string> JurisdictionPath { get; init; } = [];
    /// <summary>The problem as the unit may read it: no reporter, no involved persons.</summary>
    public string Problem { get; init; } = "";
    public DateTimeOffset ReturnedAt { get; init; }
}

/// <summary>Status and outcome reported by the commission (初核, 立案, 办结 and the handling).</summary>
public sealed record ClueOutcomeRecorded
{
    public Guid ClueId { get; init; }
    public Guid RoundId { get; init; }
    public string Jurisdiction { get; init; } = "";
    /// <summary>received | talk-and-inquiry | preliminary-verification | case-filed | closed | concluded-without-action.</summary>
    public string Status { get; init; } = "";
    public int OrganisationalHandlings { get; init; }
    /// <summary>People placed on file (立案查处) for this clue.</summary>
    public int CasesFiled { get; init; }
    public int Sanctions { get; init; }
    public int JudicialTransfers { get; init; }
    public decimal FundsRecovered { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}
