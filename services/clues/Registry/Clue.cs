using Xuncha.Clues.Handling;

namespace Xuncha.Clues.Registry;

/// <summary>A clue about an individual's conduct: the most sensitive record in the platform (need-to-know, every read audited).</summary>
public sealed class Clue
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    /// <summary>The inspection group that raised it, when it came from fieldwork.</summary>
    public Guid? GroupId { get; init; }
    public Guid TargetId { get; init; }
    public required string TargetName { get; init; }
    /// <summary>The jurisdiction whose committee directs the round: the clue's owner.</summary>
    public required string Jurisdiction { get; init; }
    /// <summary>Root → … → the target's own jurisdiction.</summary>
    public required List<string> JurisdictionPath { get; init; }
    public required List<string> InvolvedPersons { get; set; }
    public AllegationCategory Category { get; set; }
    public required string Summary { get; set; }
    public required List<string> EvidenceReferences { get; set; }
    public ClueSource Source { get; init; }
    public Sensitivity Sensitivity { get; set; }
    public DateTimeOffset RaisedAt { get; init; }
    public required string RegisteredBy { get; init; }

    public ClueStatus Status { get; set; }
    public Destination? Destination { get; set; }
    public string? HoldReason { get; set; }
    public DateOnly? TransferredOn { get; set; }
    /// <summary>When the receiving office's feedback (办理结果) is due; past it and not concluded, the clue is overdue.</summary>
    public DateOnly? FeedbackDueOn { get; set; }
    public DateTimeOffset? OverdueFlaggedAt { get; set; }
    public DateTimeOffset? LastRemindedAt { get; set; }
    public int Reminders { get; set; }
    /// <summary>The commission's own reference number (案件编号) once it reports on the clue.</summary>
    public string? CommissionReference { get; set; }
    public bool CaseWasFiled { get; set; }
    public int OrganisationalHandlings { get; set; }
    public int CasesFiled { get; set; }
    public int Sanctions { get; set; }
    public int JudicialTransfers { get; set; }
    public decimal FundsRecovered { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL xmin: a stale write is refused with 409.</summary>
    public uint Version { get; set; }

    public List<ClueStatusChange> History { get; init; } = [];

    public Outcome Outcome => new(OrganisationalHandlings, CasesFiled, Sanctions, JudicialTransfers, FundsRecovered);

    /// <summary>Root → … → the owner (<see cref="Jurisdiction"/>): who may see the clue by jurisdiction.</summary>
    public required List<string> OwnerPath { get; init; }

    public static List<string> OwnerPathOf(string jurisdiction, IReadOnlyList<string> path)
    {
        var at = path.ToList().IndexOf(jurisdiction);
        return at >= 0 ? [.. path.Take(at + 1)] : [jurisdiction];
    }
}

/// <summary>One step of the clue's history: who moved it, from where to where, and why.</summary>
public sealed class ClueStatusChange
{
    public long Id { get; init; }
    public Guid ClueId { get; init; }
    public ClueStatus From { get; init; }
    public ClueStatus To { get; init; }
    public DateTimeOffset At { get; init; }
    public required string By { get; init; }
    public string? Reason { get; init; }
    public string? CommissionReference { get; init; }
}
