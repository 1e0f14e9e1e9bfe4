using System.ComponentModel;
using System.Text.Json.Serialization;
using Xuncha.Clues.Handling;

namespace Xuncha.Clues.Reconciliation;

/// <summary>对账销号: one quarter's comparison of the office's ledger with the commission's, clue by clue.</summary>
public sealed class ReconciliationQuarter
{
    public Guid Id { get; init; }
    public required string Jurisdiction { get; init; }
    public int Year { get; init; }
    public int Quarter { get; init; }
    public QuarterState State { get; set; }
    public DateTimeOffset OpenedAt { get; init; }
    public required string OpenedBy { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    /// <summary>Touched by every confirmation, so a close racing a confirmation loses on the version (409).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
    public List<ReconciliationLine> Lines { get; init; } = [];

    public DateOnly EndsOn => new DateOnly(Year, Quarter * 3, 1).AddMonths(1).AddDays(-1);
}

public enum QuarterState
{
    [JsonStringEnumMemberName("open"), Description("对账中")] Open,
    [JsonStringEnumMemberName("closed"), Description("已销号")] Closed,
}

/// <summary>One clue in the quarter: the status each side confirms; matched when both confirmed the same status.</summary>
public sealed class ReconciliationLine
{
    public long Id { get; init; }
    public Guid QuarterId { get; init; }
    public Guid ClueId { get; init; }
    public required string LetterNumber { get; init; }
    /// <summary>The office ledger's status when the quarter opened (what the office is asked to confirm).</summary>
    public ClueStatus LedgerStatus { get; init; }
    public ClueStatus? OfficeStatus { get; set; }
    public string? OfficeConfirmedBy { get; set; }
    public DateTimeOffset? OfficeConfirmedAt { get; set; }
    public ClueStatus? CommissionStatus { get; set; }
    public string? CommissionConfirmedBy { get; set; }
    public DateTimeOffset? CommissionConfirmedAt { get; set; }

    public bool Matched => OfficeStatus is not null && OfficeStatus == CommissionStatus;
}
