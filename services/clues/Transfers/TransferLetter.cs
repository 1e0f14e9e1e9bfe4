using Xuncha.Clues.Registry;

namespace Xuncha.Clues.Transfers;

/// <summary>问题线索移交函: one per clue (the ledger transfers clue by clue, 逐件移送), numbered per jurisdiction and year.</summary>
public sealed class TransferLetter
{
    public Guid Id { get; init; }
    public Guid ClueId { get; init; }
    public Guid? MeetingId { get; init; }
    public required string Number { get; init; }
    public required string Jurisdiction { get; init; }
    public int Year { get; init; }
    public long Sequence { get; init; }
    public DateOnly IssuedOn { get; init; }
    public Destination Destination { get; init; }
    public required string ReceivingOffice { get; init; }
    /// <summary>The package (移交材料): interview excerpts and evidence list beside the clue's own source.</summary>
    public required List<string> InterviewExcerpts { get; init; }
    public required List<string> EvidenceList { get; init; }
    public required string IssuedBy { get; init; }
    /// <summary>Position in the commission's pull feed; assigned in commit order so a cursor never skips a letter.</summary>
    public long FeedPosition { get; init; }
}
