using Microsoft.Extensions.Options;
using Xuncha.Clues.Data;
using Xuncha.Clues.Registry;
using Xuncha.Clues.Transfers;
using Xuncha.Contracts.Clues;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Clues.Handling;

/// <summary>
/// Every change of a clue's status goes through here: the state machine is checked, the step is kept in the clue's
/// history, audited, and announced through the outbox — all in the caller's unit of work (the caller saves).
/// </summary>
public sealed class ClueLedger(CluesDb db, AuditTrail audit, TimeProvider clock, IOptions<TransferOptions> options)
{
    /// <summary>Today in China: the date a letter carries and deadlines are measured against.</summary>
    public DateOnly Today => ChinaDate(clock.GetUtcNow());

    /// <summary>The calendar day in China (UTC+8 all year, no daylight saving).</summary>
    public static DateOnly ChinaDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime.AddHours(8));

    public RuleViolation? Hold(Clue clue, string reason, string by)
    {
        if (Move(clue, ClueStatus.Held, by, reason, null) is { } violation) return violation;
        clue.HoldReason = reason;
        return null;
    }

    /// <summary>The unit only ever learns the problem as the office words it: no involved person may be named in it.</summary>
    public RuleViolation? ReturnAsProblem(Clue clue, string problem, string by)
    {
        var named = clue.InvolvedPersons.FirstOrDefault(p => p.Length >= 2 && problem.Contains(p, StringComparison.Ordinal));
        if (named is not null)
        {
            return new RuleViolation("clue.return.names-person", "The problem returned to the unit must not name an involved person.");
        }
        if (Move(clue, ClueStatus.ReturnedAsProblem, by, "作为普通问题反馈整改", null) is { } violation) return violation;
        db.AddEvent(new ClueReturnedAsProblem
        {
            ClueId = clue.Id, RoundId = clue.RoundId, TargetId = clue.TargetId, TargetName = clue.TargetName,
            Jurisdiction = clue.Jurisdiction, JurisdictionPath = clue.JurisdictionPath, Problem = problem, ReturnedAt = clock.GetUtcNow(),
        });
        return null;
    }

    public async Task<(TransferLetter? Letter, RuleViolation? Violation)> TransferAsync(
        Clue clue, Destination destination, string receivingOffice, IReadOnlyList<string> interviewExcerpts, Guid? meetingId, string by, CancellationToken ct, DateOnly? issuedOn = null)
    {
        if (Move(clue, ClueStatus.Transferred, by, $"移交{receivingOffice}", null) is { } violation) return (null, violation);
        var today = issuedOn ?? Today;
        var sequence = await Counters.NextAsync(db, Counters.LetterKey(clue.Jurisdiction, today.Year), ct);
        var letter = new TransferLetter
        {
            Id = Guid.NewGuid(), ClueId = clue.Id, MeetingId = meetingId,
            Number = options.Value.LetterNumber(clue.Jurisdiction, today.Year, sequence),
            Jurisdiction = clue.Jurisdiction, Year = today.Year, Sequence = sequence, IssuedOn = today,
            Destination = destination, ReceivingOffice = receivingOffice,
            InterviewExcerpts = [.. interviewExcerpts], EvidenceList = [.. clue.EvidenceReferences], IssuedBy = by,
            FeedPosition = await Counters.NextAsync(db, Counters.TransferFeed, ct),
        };
        db.Letters.Add(letter);
        clue.Destination = destination;
        clue.TransferredOn = today;
        clue.FeedbackDueOn = today.AddMonths(options.Value.FeedbackMonths);
        db.AddEvent(new ClueTransferred
        {
            ClueId = clue.Id, RoundId = clue.RoundId, TargetId = clue.TargetId, Jurisdiction = clue.Jurisdiction,
            LetterNumber = letter.Number, ReceivingOffice = receivingOffice, TransferredAt = clock.GetUtcNow(),
        });
        audit.Record(db, "clue.letter-issued", "transfer_letter", letter.Id.ToString(), after: new { letter.Number, letter.ClueId, letter.ReceivingOffice, letter.IssuedOn });
        return (letter, null);
    }

    /// <summary>A handling step reported by the receiving office, with its cumulative outcome figures when given.</summary>
    public RuleViolation? Advance(Clue clue, ClueStatus to, Outcome? outcome, string by, string? reason, string? commissionReference)
    {
        if (!ClueStateMachine.HandlingStatuses.Contains(to))
        {
            return new RuleViolation("clue.status.not-a-handling-status", $"'{Terms.Code(to)}' is not a status the receiving office reports.");
        }
        var figures = outcome ?? clue.Outcome;
        if (ClueStateMachine.CheckOutcome(to, clue.CaseWasFiled, figures) is { } bad) return bad;
        if (Move(clue, to, by, reason, commissionReference, figures) is { } violation) return violation;
        clue.CaseWasFiled |= to == ClueStatus.CaseFiled;
        clue.OrganisationalHandlings = figures.OrganisationalHandlings;
        clue.CasesFiled = figures.CasesFiled;
        clue.Sanctions = figures.Sanctions;
        clue.JudicialTransfers = figures.JudicialTransfers;
        clue.FundsRecovered = figures.FundsRecovered;
        db.AddEvent(new ClueOutcomeRecorded
        {
            ClueId = clue.Id, RoundId = clue.RoundId, Jurisdiction = clue.Jurisdiction, Status = Terms.Code(to),
            OrganisationalHandlings = figures.OrganisationalHandlings, CasesFiled = figures.CasesFiled, Sanctions = figures.Sanctions,
            JudicialTransfers = figures.JudicialTransfers, FundsRecovered = figures.FundsRecovered, RecordedAt = clock.GetUtcNow(),
        });
        return null;
    }

    private RuleViolation? Move(Clue clue, ClueStatus to, string by, string? reason, string? commissionReference, Outcome? outcome = null)
    {
        if (ClueStateMachine.Check(clue.Status, to) is { } violation) return violation;
        var now = clock.GetUtcNow();
        var before = new { status = Terms.Code(clue.Status), outcome = clue.Outcome };
        clue.History.Add(new ClueStatusChange { ClueId = clue.Id, From = clue.Status, To = to, At = now, By = by, Reason = reason, CommissionReference = commissionReference });
        clue.Status = to;
        clue.UpdatedAt = now;
        audit.Record(db, "clue.status-changed", "clue", clue.Id.ToString(), before, new { status = Terms.Code(to), outcome = outcome ?? clue.Outcome }, reason);
        return null;
    }
}
