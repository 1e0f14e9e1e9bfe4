using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Registry;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Assessment;

/// <summary>会商研判: the meeting record and its decision per clue — transfer (with the letter), return as a problem, or hold.</summary>
public static class AssessmentEndpoints
{
    public sealed record DecisionRequest(
        [property: Required] Guid? ClueId,
        [property: Required] Disposition? Disposition,
        Destination? Destination,
        [property: StringLength(200)] string? ReceivingOffice,
        [property: StringLength(1000)] string? Reason,
        [property: StringLength(2000)] string? Problem,
        [property: MaxLength(20)] List<string>? InterviewExcerpts);

    public sealed record RecordMeeting(
        [property: Required, StringLength(100, MinimumLength = 1)] string Jurisdiction,
        [property: Required] DateOnly? HeldOn,
        [property: Required, StringLength(200, MinimumLength = 1)] string Title,
        [property: Required, MinLength(2), MaxLength(50)] List<string> Participants,
        [property: Required, MinLength(1), MaxLength(200)] List<DecisionRequest> Decisions);

    public sealed record DecisionView(Guid ClueId, Disposition Disposition, string DispositionLabel, Destination? Destination, string? ReceivingOffice, string? Reason, Guid? LetterId, string? LetterNumber);
    public sealed record MeetingView(Guid Id, string Jurisdiction, DateOnly HeldOn, string Title, IReadOnlyList<string> Participants, string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<DecisionView> Decisions);

    public static void MapAssessments(this WebApplication app)
    {
        var meetings = app.MapGroup("/assessments").WithTags("会商研判");
        meetings.MapPost("/", Record).RequireRoles(PlatformRoles.ClueOfficer);
        meetings.MapGet("/{id:guid}", Get).RequireRoles(PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);
    }

    private static ValidationProblem? Validate(RecordMeeting request)
    {
        var errors = new FieldErrors().Items(request.Participants, "participants", 50, 200);
        for (var i = 0; i < request.Decisions.Count; i++)
        {
            errors.Check(request.Decisions[i] is not null, $"decisions[{i}]", "A decision is required.");
        }
        if (errors.Problem is { } missing) return missing;
        errors.Check(request.Decisions.Select(d => d.ClueId).Distinct().Count() == request.Decisions.Count, "decisions", "Each clue is decided once per meeting.");
        for (var i = 0; i < request.Decisions.Count; i++)
        {
            var d = request.Decisions[i];
            var at = $"decisions[{i}]";
            errors.DefinedTerm(d.Disposition, $"{at}.disposition").DefinedTerm(d.Destination, $"{at}.destination")
                .Items(d.InterviewExcerpts, $"{at}.interviewExcerpts", 20, 2000)
                .Check(d.Disposition != Disposition.Transfer || !string.IsNullOrWhiteSpace(d.ReceivingOffice), $"{at}.receivingOffice", "A transfer names the receiving office.")
                .Check(d.Disposition != Disposition.Hold || !string.IsNullOrWhiteSpace(d.Reason), $"{at}.reason", "Holding a clue for further verification needs a reason.")
                .Check(d.Disposition != Disposition.ReturnAsProblem || !string.IsNullOrWhiteSpace(d.Problem), $"{at}.problem", "A returned clue is worded as the problem the unit will read.");
        }
        return errors.Problem;
    }

    private static async Task<Results<Created<MeetingView>, ValidationProblem, ProblemHttpResult>> Record(
        RecordMeeting request, HttpContext http, CluesDb db, ClueAccess access, ClueLedger ledger, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { } invalid) return invalid;
        if (http.User.Jurisdiction() != request.Jurisdiction)
        {
            return Problems.Forbidden($"Only the office of '{request.Jurisdiction}' records its assessment meetings.");
        }
        // Reading the clues is audited first and on its own, so the reads stay on record even if a decision is refused.
        var clues = new List<Clue>();
        foreach (var d in request.Decisions)
        {
            if (await access.ReadAsync(d.ClueId!.Value, ClueAccess.Read, ct) is { } found && found.Jurisdiction == request.Jurisdiction)
            {
                clues.Add(found);
            }
        }
        await db.SaveChangesAsync(ct);
        if (request.Decisions.FirstOrDefault(d => clues.All(c => c.Id != d.ClueId)) is { } missing)
        {
            return Problems.NotFound("clue", missing.ClueId!);
        }
        // One transaction: letter numbers are taken under row locks and given back if any decision is refused.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var by = http.User.Subject();
        var meeting = new AssessmentMeeting
        {
            Id = Guid.NewGuid(), Jurisdiction = request.Jurisdiction, HeldOn = request.HeldOn!.Value, Title = request.Title,
            Participants = request.Participants, RecordedBy = by, RecordedAt = clock.GetUtcNow(),
        };
        var letters = new Dictionary<Guid, string>();
        for (var i = 0; i < request.Decisions.Count; i++)
        {
            var d = request.Decisions[i];
            var clue = clues[i];
            var decision = new AssessmentDecision
            {
                MeetingId = meeting.Id, ClueId = clue.Id, Disposition = d.Disposition!.Value, Reason = d.Reason,
                Destination = d.Disposition == Disposition.Transfer ? d.Destination ?? Destination.Commission : null,
                ReceivingOffice = d.Disposition == Disposition.Transfer ? d.ReceivingOffice : null,
            };
            RuleViolation? violation;
            switch (decision.Disposition)
            {
                case Disposition.Transfer:
                    var (letter, refused) = await ledger.TransferAsync(clue, decision.Destination!.Value, d.ReceivingOffice!, d.InterviewExcerpts ?? [], meeting.Id, by, ct);
                    violation = refused;
                    if (letter is not null)
                    {
                        decision.LetterId = letter.Id;
                        letters[letter.Id] = letter.Number;
                    }
                    break;
                case Disposition.ReturnAsProblem:
                    violation = ledger.ReturnAsProblem(clue, d.Problem!, by);
                    break;
                default:
                    violation = ledger.Hold(clue, d.Reason!, by);
                    break;
            }
            if (violation is not null)
            {
                return (violation with { Detail = $"decisions[{i}]: {violation.Detail}" }).Problem();
            }
            meeting.Decisions.Add(decision);
        }
        db.Meetings.Add(meeting);
        audit.Record(db, "assessment.recorded", "assessment_meeting", meeting.Id.ToString(),
            after: new { meeting.Title, meeting.HeldOn, meeting.Participants, decisions = meeting.Decisions.Select(d => new { d.ClueId, disposition = Terms.Code(d.Disposition) }) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/assessments/{meeting.Id}", View(meeting, letters));
    }

    private static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> Get(Guid id, HttpContext http, CluesDb db, CancellationToken ct)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Decisions).FirstOrDefaultAsync(m => m.Id == id, ct);
        // Meetings are the owner's: readable from the owner's jurisdiction only (ids are known, not the tree).
        if (meeting is null || meeting.Jurisdiction != http.User.Jurisdiction())
        {
            return Problems.NotFound("assessment meeting", id);
        }
        var letterIds = meeting.Decisions.Where(d => d.LetterId != null).Select(d => d.LetterId!.Value).ToList();
        var letters = await db.Letters.Where(l => letterIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Number, ct);
        return TypedResults.Ok(View(meeting, letters));
    }

    private static MeetingView View(AssessmentMeeting m, IReadOnlyDictionary<Guid, string> letters) => new(
        m.Id, m.Jurisdiction, m.HeldOn, m.Title, m.Participants, m.RecordedBy, m.RecordedAt,
        [.. m.Decisions.Select(d => new DecisionView(d.ClueId, d.Disposition, Terms.Label(d.Disposition), d.Destination, d.ReceivingOffice, d.Reason,
            d.LetterId, d.LetterId is { } l ? letters.GetValueOrDefault(l) : null))]);
}
