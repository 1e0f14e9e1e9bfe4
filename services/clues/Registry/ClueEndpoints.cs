using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Registry;

/// <summary>The clue registry: registration by the clue officer, classification, need-to-know reads (each one audited).</summary>
public static class ClueEndpoints
{
    public sealed record RegisterClue(
        [property: Required] Guid? RoundId,
        Guid? GroupId,
        [property: Required] Guid? TargetId,
        [property: Required, StringLength(200, MinimumLength = 1)] string TargetName,
        [property: Required, StringLength(100, MinimumLength = 1)] string Jurisdiction,
        [property: Required, MinLength(1), MaxLength(8)] List<string> JurisdictionPath,
        [property: Required, MinLength(1), MaxLength(50)] List<string> InvolvedPersons,
        [property: Required] AllegationCategory? Category,
        [property: Required, StringLength(4000, MinimumLength = 10)] string Summary,
        [property: MaxLength(100)] List<string>? EvidenceReferences,
        [property: Required] ClueSource? Source,
        Sensitivity? Sensitivity,
        DateTimeOffset? RaisedAt);

    public sealed record Classify(
        [property: Required] AllegationCategory? Category,
        [property: Required] Sensitivity? Sensitivity,
        [property: Required] uint? Version);

    public static void MapClueRegistry(this WebApplication app)
    {
        var clues = app.MapGroup("/clues").WithTags("线索登记");
        clues.MapPost("/", Register).RequireRoles(PlatformRoles.ClueOfficer);
        clues.MapGet("/", List);
        clues.MapGet("/{id:guid}", Get);
        clues.MapPut("/{id:guid}/classification", Reclassify).RequireRoles(PlatformRoles.ClueOfficer);
    }

    private static async Task<Results<Created<ClueView>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterClue request, HttpContext http, CluesDb db, AuditTrail audit, ClueLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var invalid = new FieldErrors()
            .Items(request.JurisdictionPath, "jurisdictionPath", 8, 100)
            .Check(request.JurisdictionPath.Contains(request.Jurisdiction), "jurisdictionPath", "The path must contain the clue's jurisdiction.")
            .Items(request.InvolvedPersons, "involvedPersons", 50, 100)
            .Items(request.EvidenceReferences, "evidenceReferences", 100, 500)
            .DefinedTerm(request.Category, "category")
            .Check(request.Category != AllegationCategory.Unclassified, "category", "Choose one of the six disciplines (六大纪律).")
            .DefinedTerm(request.Source, "source")
            .DefinedTerm(request.Sensitivity, "sensitivity")
            .Problem;
        if (invalid is not null) return invalid;
        var ownerPath = Clue.OwnerPathOf(request.Jurisdiction, request.JurisdictionPath);
        if (!http.User.Oversees(ownerPath))
        {
            return Problems.Forbidden($"Jurisdiction '{request.Jurisdiction}' is outside your own ({http.User.Jurisdiction()}).");
        }
        var now = clock.GetUtcNow();
        var clue = new Clue
        {
            Id = Guid.NewGuid(), RoundId = request.RoundId!.Value, GroupId = request.GroupId, TargetId = request.TargetId!.Value,
            TargetName = request.TargetName, Jurisdiction = request.Jurisdiction, JurisdictionPath = request.JurisdictionPath, OwnerPath = ownerPath,
            InvolvedPersons = request.InvolvedPersons, Category = request.Category!.Value, Summary = request.Summary,
            EvidenceReferences = request.EvidenceReferences ?? [], Source = request.Source!.Value, Sensitivity = request.Sensitivity ?? Sensitivity.Ordinary,
            RaisedAt = request.RaisedAt ?? now, RegisteredBy = http.User.Subject(), Status = ClueStatus.Registered, UpdatedAt = now,
        };
        db.Clues.Add(clue);
        audit.Record(db, "clue.registered", "clue", clue.Id.ToString(), after: new { clue.RoundId, clue.TargetId, category = Terms.Code(clue.Category), source = Terms.Code(clue.Source) });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/clues/{clue.Id}", ClueView.Of(clue, ledger.Today));
    }

    private static async Task<Results<Ok<Page<ClueListItem>>, ValidationProblem>> List(
        ClueAccess access, CluesDb db, ClueLedger ledger, CancellationToken ct,
        Guid? roundId = null, string? status = null, int offset = 0, int limit = 50)
    {
        ClueStatus parsed = default;
        var invalid = new FieldErrors()
            .Check(status is null || Terms.TryParse(status, out parsed), "status", "Unknown status.")
            .Check(offset >= 0, "offset", "Must be 0 or more.")
            .Check(limit is >= 1 and <= 200, "limit", "Must be between 1 and 200.")
            .Problem;
        if (invalid is not null) return invalid;
        var query = access.Readable();
        if (roundId is not null) query = query.Where(c => c.RoundId == roundId);
        if (status is not null) query = query.Where(c => c.Status == parsed);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.RaisedAt).ThenBy(c => c.Id).Skip(offset).Take(limit).ToListAsync(ct);
        access.RecordListed(rows.Select(r => r.Id));
        await db.SaveChangesAsync(ct);
        var today = ledger.Today;
        return TypedResults.Ok(new Page<ClueListItem>(
            [.. rows.Select(c => new ClueListItem(c.Id, c.RoundId, c.TargetName, c.Jurisdiction, c.Category, c.Sensitivity, c.Status, Terms.Label(c.Status),
                c.RaisedAt, c.TransferredOn, c.FeedbackDueOn, ClueView.IsOverdue(c, today)))],
            total, offset, limit));
    }

    private static async Task<Results<Ok<ClueView>, ProblemHttpResult>> Get(Guid id, ClueAccess access, CluesDb db, ClueLedger ledger, CancellationToken ct)
    {
        var clue = await access.ReadAsync(id, ClueAccess.Read, ct, withHistory: true);
        await db.SaveChangesAsync(ct);
        return clue is null ? Problems.NotFound("clue", id) : TypedResults.Ok(ClueView.Of(clue, ledger.Today));
    }

    private static async Task<Results<Ok<ClueView>, ValidationProblem, ProblemHttpResult>> Reclassify(
        Guid id, Classify request, ClueAccess access, CluesDb db, AuditTrail audit, ClueLedger ledger, CancellationToken ct)
    {
        var invalid = new FieldErrors().DefinedTerm(request.Category, "category").DefinedTerm(request.Sensitivity, "sensitivity")
            .Check(request.Category != AllegationCategory.Unclassified, "category", "Choose one of the six disciplines (六大纪律).").Problem;
        if (invalid is not null) return invalid;
        // The read is audited on its own, so a refused or stale write still leaves it on record.
        var clue = await access.ReadAsync(id, ClueAccess.Read, ct);
        await db.SaveChangesAsync(ct);
        if (clue is null) return Problems.NotFound("clue", id);
        db.Entry(clue).Property(c => c.Version).OriginalValue = request.Version!.Value;
        var before = new { category = Terms.Code(clue.Category), sensitivity = Terms.Code(clue.Sensitivity) };
        clue.Category = request.Category!.Value;
        clue.Sensitivity = request.Sensitivity!.Value;
        audit.Record(db, "clue.classified", "clue", clue.Id.ToString(), before, new { category = Terms.Code(clue.Category), sensitivity = Terms.Code(clue.Sensitivity) });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ClueView.Of(clue, ledger.Today));
    }
}
