using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Registry;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Reconciliation;

/// <summary>
/// 对账销号 each quarter: the office and the commission each confirm every transferred clue's status; lines that differ
/// (or lack a side) stay listed, and the quarter closes only when all match. Closed quarters stay as history.
/// </summary>
public static class ReconciliationEndpoints
{
    public sealed record OpenQuarter(
        [property: Required, StringLength(100, MinimumLength = 1)] string Jurisdiction,
        [property: Required, Range(2000, 2100)] int? Year,
        [property: Required, Range(1, 4)] int? Quarter);

    public sealed record Confirmation([property: Required] Guid? ClueId, [property: Required] ClueStatus? Status);

    public sealed record Confirm([property: Required, MinLength(1), MaxLength(1000)] List<Confirmation> Items);

    public sealed record LineView(Guid ClueId, string LetterNumber, ClueStatus LedgerStatus, ClueStatus? OfficeStatus, ClueStatus? CommissionStatus, bool Matched);

    public sealed record QuarterView(Guid Id, string Jurisdiction, int Year, int Quarter, QuarterState State, string StateLabel, int Lines, int Matched,
        int Unmatched, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, uint Version, IReadOnlyList<LineView>? Details);

    public static void MapReconciliation(this WebApplication app)
    {
        var group = app.MapGroup("/reconciliations").WithTags("对账销号");
        group.MapPost("/", Open).RequireRoles(PlatformRoles.ClueOfficer);
        group.MapGet("/", List).RequireRoles(PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);
        group.MapGet("/{id:guid}", Get).RequireRoles(PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);
        group.MapGet("/{id:guid}/mismatches", Mismatches).RequireRoles(PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);
        group.MapPost("/{id:guid}/office-confirmations", (Guid id, Confirm body, HttpContext http, CluesDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct) =>
            Record(id, body, Side.Office, http, db, audit, clock, ct)).RequireRoles(PlatformRoles.ClueOfficer);
        group.MapPost("/{id:guid}/commission-confirmations", (Guid id, Confirm body, HttpContext http, CluesDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct) =>
            Record(id, body, Side.Commission, http, db, audit, clock, ct)).RequireRoles(PlatformRoles.CommissionCaseOfficer);
        group.MapPost("/{id:guid}/close", Close).RequireRoles(PlatformRoles.ClueOfficer);
    }

    private enum Side { Office, Commission }

    private static async Task<Results<Created<QuarterView>, ProblemHttpResult>> Open(
        OpenQuarter request, HttpContext http, CluesDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.Jurisdiction() != request.Jurisdiction)
        {
            return Problems.Forbidden($"Only the office of '{request.Jurisdiction}' reconciles its ledger.");
        }
        if (await db.Quarters.AnyAsync(q => q.Jurisdiction == request.Jurisdiction && q.Year == request.Year && q.Quarter == request.Quarter, ct))
        {
            return Problems.Conflict($"{request.Year} Q{request.Quarter} is already being (or was) reconciled for '{request.Jurisdiction}'.");
        }
        var now = clock.GetUtcNow();
        var quarter = new ReconciliationQuarter
        {
            Id = Guid.NewGuid(), Jurisdiction = request.Jurisdiction, Year = request.Year!.Value, Quarter = request.Quarter!.Value,
            State = QuarterState.Open, OpenedAt = now, OpenedBy = http.User.Subject(), UpdatedAt = now,
        };
        var endsOn = quarter.EndsOn;
        // Every clue transferred to the commission by the quarter's end is on the list, concluded or not, until both sides agree.
        var transferred = await (
            from clue in db.Clues
            join letter in db.Letters on clue.Id equals letter.ClueId
            where clue.Jurisdiction == request.Jurisdiction && clue.Destination == Destination.Commission && letter.IssuedOn <= endsOn
            orderby letter.Sequence
            select new { clue.Id, clue.Status, letter.Number }).ToListAsync(ct);
        quarter.Lines.AddRange(transferred.Select(t => new ReconciliationLine { QuarterId = quarter.Id, ClueId = t.Id, LetterNumber = t.Number, LedgerStatus = t.Status }));
        db.Quarters.Add(quarter);
        audit.Record(db, "reconciliation.opened", "reconciliation_quarter", quarter.Id.ToString(), after: new { quarter.Jurisdiction, quarter.Year, quarter.Quarter, lines = quarter.Lines.Count });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/reconciliations/{quarter.Id}", View(quarter, details: true));
    }

    private static async Task<Ok<List<QuarterView>>> List(HttpContext http, CluesDb db, CancellationToken ct)
    {
        var mine = http.User.Jurisdiction();
        var quarters = await db.Quarters.AsNoTracking().Include(q => q.Lines).Where(q => q.Jurisdiction == mine)
            .OrderByDescending(q => q.Year).ThenByDescending(q => q.Quarter).ToListAsync(ct);
        return TypedResults.Ok(quarters.Select(q => View(q, details: false)).ToList());
    }

    private static async Task<Results<Ok<QuarterView>, ProblemHttpResult>> Get(Guid id, HttpContext http, CluesDb db, CancellationToken ct) =>
        await Load(id, http, db, ct) is { } quarter ? TypedResults.Ok(View(quarter, details: true)) : Problems.NotFound("reconciliation", id);

    private static async Task<Results<Ok<List<LineView>>, ProblemHttpResult>> Mismatches(Guid id, HttpContext http, CluesDb db, CancellationToken ct) =>
        await Load(id, http, db, ct) is { } quarter
            ? TypedResults.Ok(quarter.Lines.Where(l => !l.Matched).Select(Line).ToList())
            : Problems.NotFound("reconciliation", id);

    private static async Task<Results<Ok<QuarterView>, ValidationProblem, ProblemHttpResult>> Record(
        Guid id, Confirm body, Side side, HttpContext http, CluesDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var quarter = await Load(id, http, db, ct);
        if (quarter is null) return Problems.NotFound("reconciliation", id);
        var lines = quarter.Lines.ToDictionary(l => l.ClueId);
        var errors = new FieldErrors();
        for (var i = 0; i < body.Items.Count; i++)
        {
            if (body.Items[i] is null)
            {
                errors.Check(false, $"items[{i}]", "A confirmation is required.");
                continue;
            }
            errors.DefinedTerm(body.Items[i].Status, $"items[{i}].status")
                .Check(body.Items[i].ClueId is { } c && lines.ContainsKey(c), $"items[{i}].clueId", "The clue is not on this quarter's list.");
        }
        if (errors.Problem is { } invalid) return invalid;
        if (quarter.State == QuarterState.Closed)
        {
            return new RuleViolation("reconciliation.closed", "The quarter is closed (销号); its confirmations are final.").Problem();
        }
        var now = clock.GetUtcNow();
        var by = http.User.Subject();
        foreach (var item in body.Items)
        {
            var line = lines[item.ClueId!.Value];
            if (side == Side.Office)
            {
                (line.OfficeStatus, line.OfficeConfirmedBy, line.OfficeConfirmedAt) = (item.Status, by, now);
            }
            else
            {
                (line.CommissionStatus, line.CommissionConfirmedBy, line.CommissionConfirmedAt) = (item.Status, by, now);
            }
        }
        quarter.UpdatedAt = now;
        audit.Record(db, $"reconciliation.{(side == Side.Office ? "office" : "commission")}-confirmed", "reconciliation_quarter", quarter.Id.ToString(),
            after: body.Items.Select(i => new { i.ClueId, status = Terms.Code(i.Status!.Value) }));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(quarter, details: true));
    }

    private static async Task<Results<Ok<QuarterView>, ProblemHttpResult>> Close(Guid id, HttpContext http, CluesDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var quarter = await Load(id, http, db, ct);
        if (quarter is null) return Problems.NotFound("reconciliation", id);
        if (quarter.State == QuarterState.Closed)
        {
            return new RuleViolation("reconciliation.closed", "The quarter is already closed.").Problem();
        }
        var unmatched = quarter.Lines.Where(l => !l.Matched).ToList();
        if (unmatched.Count > 0)
        {
            return TypedResults.Problem(
                $"{unmatched.Count} of {quarter.Lines.Count} clues are not confirmed with the same status by both sides.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "不符合业务规则", type: "https://xuncha.example/problems/reconciliation.unmatched-lines",
                extensions: new Dictionary<string, object?> { ["rule"] = "reconciliation.unmatched-lines", ["unmatched"] = unmatched.Select(l => l.ClueId).ToList() });
        }
        quarter.State = QuarterState.Closed;
        quarter.ClosedAt = clock.GetUtcNow();
        quarter.ClosedBy = http.User.Subject();
        quarter.UpdatedAt = quarter.ClosedAt.Value;
        audit.Record(db, "reconciliation.closed", "reconciliation_quarter", quarter.Id.ToString(), after: new { lines = quarter.Lines.Count });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(quarter, details: true));
    }

    /// <summary>Both sides of the same jurisdiction see its quarters; others learn nothing.</summary>
    private static Task<ReconciliationQuarter?> Load(Guid id, HttpContext http, CluesDb db, CancellationToken ct)
    {
        var mine = http.User.Jurisdiction();
        return db.Quarters.Include(q => q.Lines).FirstOrDefaultAsync(q => q.Id == id && q.Jurisdiction == mine, ct);
    }

    private static LineView Line(ReconciliationLine l) => new(l.ClueId, l.LetterNumber, l.LedgerStatus, l.OfficeStatus, l.CommissionStatus, l.Matched);

    private static QuarterView View(ReconciliationQuarter q, bool details)
    {
        var matched = q.Lines.Count(l => l.Matched);
        return new QuarterView(q.Id, q.Jurisdiction, q.Year, q.Quarter, q.State, Terms.Label(q.State), q.Lines.Count, matched, q.Lines.Count - matched,
            q.OpenedAt, q.ClosedAt, q.Version, details ? [.. q.Lines.OrderBy(l => l.LetterNumber).Select(Line)] : null);
    }
}
