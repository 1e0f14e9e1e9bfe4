using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Registry;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Commission;

/// <summary>
/// The commission's system as an API client (role commission-case-officer): it pulls new transfers after a cursor and
/// pushes status and outcomes keyed by its own reference number, so a retried push changes nothing twice.
/// </summary>
public static class CommissionEndpoints
{
    public sealed record TransferItem(
        long Position, Guid ClueId, string LetterNumber, DateOnly IssuedOn, string ReceivingOffice, DateOnly? FeedbackDueOn,
        Guid RoundId, Guid TargetId, string TargetName, string Jurisdiction, IReadOnlyList<string> InvolvedPersons,
        AllegationCategory Category, string Summary, ClueSource Source, Sensitivity Sensitivity,
        IReadOnlyList<string> EvidenceList, IReadOnlyList<string> InterviewExcerpts);

    public sealed record TransferFeed(IReadOnlyList<TransferItem> Items, long NextCursor);

    public sealed record StatusReport(
        [property: Required, RegularExpression(@"^[^\p{C}]{1,100}$")] string CommissionReference,
        [property: Required] ClueStatus? Status,
        [property: Range(0, 10_000)] int OrganisationalHandlings,
        [property: Range(0, 10_000)] int CasesFiled,
        [property: Range(0, 10_000)] int Sanctions,
        [property: Range(0, 10_000)] int JudicialTransfers,
        [property: Range(typeof(decimal), "0", "1000000000000")] decimal FundsRecovered,
        [property: StringLength(1000)] string? Note);

    public sealed record ReportResult(Guid ClueId, ClueStatus Status, bool Applied);

    public static void MapCommission(this WebApplication app)
    {
        var commission = app.MapGroup("/commission").WithTags("纪委监委对接").RequireRoles(PlatformRoles.CommissionCaseOfficer);
        commission.MapGet("/transfers", Pull);
        commission.MapPost("/clues/{id:guid}/reports", Push);
    }

    private static async Task<Results<Ok<TransferFeed>, ValidationProblem>> Pull(
        ClueAccess access, CluesDb db, CancellationToken ct, long after = 0, int limit = 50)
    {
        if (new FieldErrors().Check(after >= 0, "after", "Must be 0 or more.").Check(limit is >= 1 and <= 200, "limit", "Must be between 1 and 200.").Problem is { } invalid)
        {
            return invalid;
        }
        var rows = await (
            from letter in db.Letters
            join clue in access.Readable() on letter.ClueId equals clue.Id
            where letter.FeedPosition > after && letter.Destination == Destination.Commission
            orderby letter.FeedPosition
            select new { letter, clue }).Take(limit).AsNoTracking().ToListAsync(ct);
        access.RecordListed(rows.Select(r => r.clue.Id), "clue.pulled");
        await db.SaveChangesAsync(ct);
        var items = rows.Select(r => new TransferItem(
            r.letter.FeedPosition, r.clue.Id, r.letter.Number, r.letter.IssuedOn, r.letter.ReceivingOffice, r.clue.FeedbackDueOn,
            r.clue.RoundId, r.clue.TargetId, r.clue.TargetName, r.clue.Jurisdiction, r.clue.InvolvedPersons, r.clue.Category, r.clue.Summary,
            r.clue.Source, r.clue.Sensitivity, r.letter.EvidenceList, r.letter.InterviewExcerpts)).ToList();
        return TypedResults.Ok(new TransferFeed(items, items.Count > 0 ? items[^1].Position : after));
    }

    private static async Task<Results<Ok<ReportResult>, ValidationProblem, ProblemHttpResult>> Push(
        Guid id, StatusReport report, HttpContext http, ClueAccess access, CluesDb db, ClueLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        if (new FieldErrors().DefinedTerm(report.Status, "status").Problem is { } invalid) return invalid;
        var clue = await access.Readable().Include(c => c.History).FirstOrDefaultAsync(c => c.Id == id && c.Destination == Destination.Commission, ct);
        if (clue is null || !access.IsOfficerFor(clue, PlatformRoles.CommissionCaseOfficer)) return Problems.NotFound("transferred clue", id);
        var status = report.Status!.Value;
        var hash = ContentHash(id, report);
        var earlier = await db.CommissionReports.AsNoTracking()
            .FirstOrDefaultAsync(r => r.CommissionReference == report.CommissionReference && r.Status == status, ct);
        if (earlier is not null)
        {
            return earlier.ClueId == id && earlier.ContentHash == hash
                ? TypedResults.Ok(new ReportResult(id, status, Applied: false))
                : Problems.Conflict($"Reference '{report.CommissionReference}' already reported '{Terms.Code(status)}' with different content or for another clue.");
        }
        if (clue.CommissionReference is { } known && known != report.CommissionReference)
        {
            return Problems.Conflict($"The clue is known to the commission as '{known}', not '{report.CommissionReference}'.");
        }
        clue.CommissionReference = report.CommissionReference;
        var outcome = new Outcome(report.OrganisationalHandlings, report.CasesFiled, report.Sanctions, report.JudicialTransfers, report.FundsRecovered);
        if (ledger.Advance(clue, status, outcome, http.User.Subject(), report.Note, report.CommissionReference) is { } violation)
        {
            return violation.Problem();
        }
        db.CommissionReports.Add(new CommissionReport
        {
            ClueId = id, CommissionReference = report.CommissionReference, Status = status, ContentHash = hash,
            ReceivedAt = clock.GetUtcNow(), ReportedBy = http.User.Subject(),
        });
        // A concurrent duplicate loses on the unique (reference, status) key or on the clue's version: 409, and a retry answers "not applied".
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ReportResult(id, status, Applied: true));
    }

    private static string ContentHash(Guid clueId, StatusReport r) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|',
            clueId, r.CommissionReference, Terms.Code(r.Status!.Value), r.OrganisationalHandlings, r.CasesFiled, r.Sanctions, r.JudicialTransfers,
            r.FundsRecovered.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))));
}
