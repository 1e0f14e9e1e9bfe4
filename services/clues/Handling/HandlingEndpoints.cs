using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;
using Xuncha.Clues.Registry;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Handling;

/// <summary>The clue officer records a handling step the receiving office notified on paper; stale versions get 409.</summary>
public static class HandlingEndpoints
{
    public sealed record OutcomeFigures(
        [property: Range(0, 10_000)] int OrganisationalHandlings,
        [property: Range(0, 10_000)] int CasesFiled,
        [property: Range(0, 10_000)] int Sanctions,
        [property: Range(0, 10_000)] int JudicialTransfers,
        [property: Range(typeof(decimal), "0", "1000000000000")] decimal FundsRecovered)
    {
        public Outcome ToOutcome() => new(OrganisationalHandlings, CasesFiled, Sanctions, JudicialTransfers, FundsRecovered);
    }

    public sealed record RecordStatus(
        [property: Required] ClueStatus? Status,
        [property: Required] uint? Version,
        OutcomeFigures? Outcome,
        [property: StringLength(1000)] string? Reason);

    public static void MapHandling(this WebApplication app) =>
        app.MapPost("/clues/{id:guid}/status", Record).WithTags("线索办理").RequireRoles(PlatformRoles.ClueOfficer);

    private static async Task<Results<Ok<ClueView>, ValidationProblem, ProblemHttpResult>> Record(
        Guid id, RecordStatus request, HttpContext http, ClueAccess access, CluesDb db, ClueLedger ledger, CancellationToken ct)
    {
        if (new FieldErrors().DefinedTerm(request.Status, "status").Problem is { } invalid) return invalid;
        var clue = await access.ReadAsync(id, ClueAccess.Read, ct, withHistory: true);
        await db.SaveChangesAsync(ct);
        if (clue is null || !access.IsOfficerFor(clue, PlatformRoles.ClueOfficer)) return Problems.NotFound("clue", id);
        db.Entry(clue).Property(c => c.Version).OriginalValue = request.Version!.Value;
        if (ledger.Advance(clue, request.Status!.Value, request.Outcome?.ToOutcome(), http.User.Subject(), request.Reason, null) is { } violation)
        {
            return violation.Problem();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ClueView.Of(clue, ledger.Today));
    }
}
