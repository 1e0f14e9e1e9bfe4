using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Rectification.Disclosure;

public static class DisclosureEndpoints
{
    public sealed record ChecklistItem(Guid? ProblemId, List<DisclosureExclusion>? Exclusions);
    public sealed record ChecklistRequest(uint? Version, List<ChecklistItem>? Items, string? Reason);
    public sealed record PublishRequest(uint? Version);

    public static void MapDisclosure(this WebApplication app)
    {
        var office = app.MapGroup("/cases/{id:guid}/disclosure").WithTags("Disclosure").RequireRoles(CaseAccess.Supervisor);
        office.MapGet("", Internal);
        office.MapPut("/checklist", Checklist);
        office.MapPost("/publish", Publish);
        app.MapGet("/public/disclosures/{id:guid}", Public).WithTags("Public").AllowAnonymous();
    }

    private static async Task<IResult> Internal(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == id).ToListAsync(ct);
        return TypedResults.Ok(DisclosureVersions.Internal(c, tasks));
    }

    /// <summary>The exclusion checklist (公开排除清单) per problem; an empty list means the problem may be published.</summary>
    private static async Task<IResult> Checklist(Guid id, ChecklistRequest request, HttpContext http, RectificationDb db, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Check(request.Version is not null, "version", "required: the case version you read")
            .Check(request.Items is { Count: > 0 and <= 1000 }, "items", "1–1000 items are required")
            .Text("reason", request.Reason, 1000);
        foreach (var (item, i) in (request.Items ?? []).Select((x, i) => (x, i)))
        {
            if (item is null)
            {
                errors[$"items[{i}]"] = ["required: an item, not null"];
                continue;
            }
            if (item.ProblemId is null) errors[$"items[{i}].problemId"] = ["required"];
            if (item.Exclusions is null) errors[$"items[{i}].exclusions"] = ["required: [] when nothing applies"];
            else if (item.Exclusions.Any(e => !Enum.IsDefined(e))) errors[$"items[{i}].exclusions"] = ["unknown exclusion"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        var unknown = request.Items!.Where(i => c.Problems.All(p => p.Id != i.ProblemId)).ToList();
        if (unknown.Count > 0) return Problems.Invalid("items", $"not problems of this case: {string.Join(", ", unknown.Select(u => u.ProblemId))}");
        db.Entry(c).Property(x => x.Version).OriginalValue = request.Version!.Value;
        var before = c.Problems.Select(p => new { p.Id, p.Exclusions }).ToList();
        foreach (var item in request.Items!)
        {
            c.Problems.First(p => p.Id == item.ProblemId).Exclusions = [.. item.Exclusions!.Distinct().Order()];
        }
        // The case row is the unit of concurrency for the checklist: touching it makes a stale writer fail.
        db.Entry(c).State = EntityState.Modified;
        audit.Record(db, "disclosure.checklist", "case", id.ToString(), before, c.Problems.Select(p => new { p.Id, p.Exclusions }).ToList(), request.Reason);
        await db.SaveChangesAsync(ct);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == id).ToListAsync(ct);
        return TypedResults.Ok(new { version = c.Version, disclosure = DisclosureVersions.Internal(c, tasks) });
    }

    private static async Task<IResult> Publish(Guid id, PublishRequest request, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        if (request.Version is null) return Problems.Invalid("version", "required: the case version you read");
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        var unreviewed = c.Problems.Where(p => p.Exclusions is null).ToList();
        if (unreviewed.Count > 0 || c.Problems.Count == 0)
        {
            return Problems.RuleViolated("disclosure.checklist-complete",
                $"Answer the exclusion checklist for every problem first; unreviewed: {unreviewed.Count}.", "公开排除清单尚未逐项审核");
        }
        db.Entry(c).Property(x => x.Version).OriginalValue = request.Version.Value;
        c.DisclosedAt = clock.GetUtcNow();
        audit.Record(db, "disclosure.published", "case", id.ToString(), null, new { c.DisclosedAt, published = c.Problems.Count(DisclosureVersions.IsPublic) }, "整改情况公开");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new { c.Id, c.DisclosedAt, c.Version });
    }

    /// <summary>Anonymous: the public version of a published disclosure; anything unpublished is simply not found.</summary>
    private static async Task<IResult> Public(Guid id, RectificationDb db, CancellationToken ct)
    {
        var c = await db.Cases.AsNoTracking().Include(x => x.Problems).FirstOrDefaultAsync(x => x.Id == id && x.DisclosedAt != null, ct);
        if (c is null) return Problems.NotFound("No published rectification disclosure.");
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == id).ToListAsync(ct);
        var evaluation = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(e => e.CaseId == id, ct);
        return TypedResults.Ok(DisclosureVersions.Public(c, tasks, evaluation));
    }
}
