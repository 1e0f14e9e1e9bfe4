using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Terms;

public static class TermEndpoints
{
    public sealed record CreateTerm(
        [property: Required, RegularExpression(Codes.Pattern)] string Jurisdiction,
        [property: Required, StringLength(200, MinimumLength = 1)] string Name,
        DateOnly StartsOn,
        DateOnly EndsOn,
        [property: Range(1, 100)] decimal? CoverageGoal);

    /// <summary>年度计划: the rounds of one year of the term.</summary>
    public sealed record AnnualPlan(Guid TermId, int Year, int Rounds, int Targets, int GroupsNeeded, IReadOnlyList<RoundSummary> Items);

    public sealed record RoundSummary(Guid Id, int Number, string Name, DateOnly StartsOn, DateOnly EndsOn, RoundStatus Status, int Targets, int GroupsNeeded);

    public static void MapTerms(this WebApplication app)
    {
        var group = app.MapGroup("/terms").WithTags("Terms");
        group.MapPost("/", Create).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapGet("/", List).RequireRoles(Need.SubtreeReaders);
        group.MapGet("/{id:guid}", Get).RequireRoles(Need.SubtreeReaders);
        group.MapGet("/{id:guid}/annual-plans/{year:int}", Annual).RequireRoles(Need.SubtreeReaders);
    }

    private static async Task<IResult> Create(CreateTerm request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        if (request.EndsOn <= request.StartsOn) return Problems.Invalid("endsOn", "A term ends after it starts.");
        var jurisdiction = await db.Jurisdictions.AsNoTracking().SingleOrDefaultAsync(j => j.Id == request.Jurisdiction, ct);
        if (jurisdiction is null) return Problems.Invalid("jurisdiction", $"Jurisdiction '{request.Jurisdiction}' does not exist.");
        if (!user.Edits(jurisdiction.Path)) return Problems.Forbidden("The jurisdiction is outside yours.");
        var overlapping = await db.Terms.AnyAsync(t => t.Jurisdiction == request.Jurisdiction && t.StartsOn <= request.EndsOn && request.StartsOn <= t.EndsOn, ct);
        if (overlapping) return RuleProblem.Of("term-overlap", "The jurisdiction already has a term in that period.");
        var term = new Term
        {
            Id = Guid.NewGuid(), Jurisdiction = jurisdiction.Id, JurisdictionPath = jurisdiction.Path, Name = request.Name,
            StartsOn = request.StartsOn, EndsOn = request.EndsOn, CoverageGoal = request.CoverageGoal ?? 100m, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Terms.Add(term);
        audit.Record(db, "term.created", "term", term.Id.ToString(), after: term);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/terms/{term.Id}", term);
    }

    private static async Task<IResult> List(ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var mine = user.Jurisdiction();
        return TypedResults.Ok(await db.Terms.AsNoTracking().Where(t => t.JurisdictionPath.Contains(mine)).OrderByDescending(t => t.StartsOn).ToListAsync(ct));
    }

    private static async Task<IResult> Get(Guid id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct) =>
        await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) is { } term && user.ReadsSubtree(term.JurisdictionPath)
            ? TypedResults.Ok(term)
            : Problems.NotFound($"Term {id}");

    private static async Task<IResult> Annual(Guid id, int year, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (term is null || !user.ReadsSubtree(term.JurisdictionPath)) return Problems.NotFound($"Term {id}");
        var from = new DateOnly(Math.Clamp(year, 1, 9999), 1, 1);
        var to = new DateOnly(Math.Clamp(year, 1, 9999), 12, 31);
        var items = await db.Rounds.AsNoTracking().Where(r => r.TermId == id && r.StartsOn <= to && r.StartsOn >= from).OrderBy(r => r.Number)
            .Select(r => new RoundSummary(r.Id, r.Number, r.Name, r.StartsOn, r.EndsOn, r.Status, r.Targets.Count, r.GroupsNeeded)).ToListAsync(ct);
        return TypedResults.Ok(new AnnualPlan(id, year, items.Count, items.Sum(i => i.Targets), items.Sum(i => i.GroupsNeeded), items));
    }
}
