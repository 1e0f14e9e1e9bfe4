using Xuncha.Clues.Handling;

namespace Xuncha.Clues.Commission;

/// <summary>
/// A status report pushed by the commission, keyed by its own reference number and the status: a repeated push finds
/// its row and changes nothing.
/// </summary>
public sealed class CommissionReport
{
    public long Id { get; init; }
    public Guid ClueId { get; init; }
    public required string CommissionReference { get; init; }
    public ClueStatus Status { get; init; }
    /// <summary>SHA-256 of the report's content: the same key with different content is a conflict, not a replay.</summary>
    public required string ContentHash { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public required string ReportedBy { get; init; }
}
