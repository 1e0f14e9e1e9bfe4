using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Data;
using Xuncha.Staffing.Evaluations;

namespace Xuncha.Staffing.Cadres;

public static class CadreEndpoints
{
    public sealed record CadrePage(int Total, int Page, int PageSize, IReadOnlyList<CadreView> Items);
    public sealed record IdentityMatch(string IdentityNumber);
    public sealed record CadreHistory(CadreView Cadre, IReadOnlyList<ServiceRecord> Services, IReadOnlyList<Evaluation> Evaluations);

    public static void MapCadres(this WebApplication app)
    {
        var cadres = app.MapGroup("/cadres").WithTags("Cadres").RequireRoles(StaffingAccess.PoolRoles);
        cadres.MapGet("/", List);
        cadres.MapGet("/{id:guid}", Get);
        cadres.MapPost("/", Create);
        cadres.MapPut("/{id:guid}", Update);
        cadres.MapDelete("/{id:guid}", Archive);
        cadres.MapPost("/match", Match);
        cadres.MapGet("/{id:guid}/history", History);
        cadres.MapCadreFiles();
    }

    private static async Task<IResult> List(HttpContext http, StaffingDb db, string? q, string? specialty, string? county, bool? includeArchived, int? page, int? pageSize, CancellationToken ct)
    {
        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (size is < 1 or > 500) return Problems.Invalid("pageSize", "1–500");
        // The upper bound keeps (number - 1) * size inside an int.
        if (number is < 1 or > 1_000_000) return Problems.Invalid("page", "1–1000000");
        if (q is { Length: > 100 }) return Problems.Invalid("q", "at most 100 characters");
        var mine = http.User.Jurisdiction();
        var query = db.Cadres.AsNoTracking().Where(c => c.JurisdictionPath.Contains(mine));
        if (includeArchived != true) query = query.Where(c => !c.Archived);
        if (!string.IsNullOrEmpty(q)) query = query.Where(c => c.Name.Contains(q) || c.CurrentUnitName.Contains(q) || c.CurrentUnitCode == q);
        if (!string.IsNullOrEmpty(specialty)) query = query.Where(c => c.Specialties.Contains(specialty));
        if (!string.IsNullOrEmpty(county)) query = query.Where(c => c.JurisdictionPath.Contains(county));
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(c => c.Name).ThenBy(c => c.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new CadrePage(total, number, size, [.. items.Select(CadreView.Of)]));
    }

    /// <summary>A cadre the caller may see: in the pool of the caller's jurisdiction.</summary>
    internal static async Task<Cadre?> FindVisible(HttpContext http, StaffingDb db, Guid id, CancellationToken ct) =>
        await db.Cadres.FirstOrDefaultAsync(c => c.Id == id, ct) is { } cadre && http.User.Oversees(cadre.JurisdictionPath) ? cadre : null;

    private static async Task<IResult> Get(Guid id, HttpContext http, StaffingDb db, CancellationToken ct) =>
        await FindVisible(http, db, id, ct) is { } cadre ? TypedResults.Ok(CadreView.Of(cadre)) : Problems.NotFound($"No cadre {id} in your jurisdiction.");

    private static async Task<IResult> Create(CadreInput input, HttpContext http, StaffingDb db, IdentityNumberHasher hasher, AuditTrail audit, CancellationToken ct)
    {
        var errors = CadreValidation.Validate(input);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!http.User.Oversees(input.JurisdictionPath)) return Problems.Invalid("jurisdictionPath", "the cadre's jurisdiction is outside yours");
        var cadre = new Cadre { Id = Guid.CreateVersion7(), Name = "", CurrentUnitCode = "" };
        CadreValidation.Apply(input, cadre, hasher);
        if (cadre.IdentityHash is { } hash && await db.Cadres.AnyAsync(c => c.IdentityHash == hash, ct))
        {
            return Problems.Conflict("A cadre with this identity number is already in the pool (POST /cadres/match finds them).");
        }
        db.Cadres.Add(cadre);
        audit.Record(db, "cadre.created", "cadre", cadre.Id.ToString(), after: CadreView.Of(cadre), reason: input.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/cadres/{cadre.Id}", CadreView.Of(cadre));
    }

    private static async Task<IResult> Update(Guid id, CadreInput input, HttpContext http, StaffingDb db, IdentityNumberHasher hasher, AuditTrail audit, CancellationToken ct)
    {
        var errors = CadreValidation.Validate(input);
        if (input.Version is null) errors["version"] = ["required: the version you read"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await FindVisible(http, db, id, ct) is not { } cadre) return Problems.NotFound($"No cadre {id} in your jurisdiction.");
        if (!http.User.Oversees(input.JurisdictionPath)) return Problems.Invalid("jurisdictionPath", "the cadre's jurisdiction is outside yours");
        var before = CadreView.Of(cadre);
        db.Entry(cadre).Property(c => c.Version).OriginalValue = input.Version!.Value;
        CadreValidation.Apply(input with { Services = input.Services ?? cadre.Services }, cadre, hasher);
        if (cadre.IdentityHash is { } hash && await db.Cadres.AnyAsync(c => c.IdentityHash == hash && c.Id != id, ct))
        {
            return Problems.Conflict("Another cadre has this identity number.");
        }
        audit.Record(db, "cadre.updated", "cadre", id.ToString(), before, CadreView.Of(cadre), input.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CadreView.Of(cadre));
    }

    /// <summary>Cadres are archived, not deleted: their secondments and evaluations stay on record.</summary>
    private static async Task<IResult> Archive(Guid id, string? reason, HttpContext http, StaffingDb db, AuditTrail audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500) return Problems.Invalid("reason", "required, at most 500 characters");
        if (await FindVisible(http, db, id, ct) is not { } cadre) return Problems.NotFound($"No cadre {id} in your jurisdiction.");
        if (!cadre.Archived)
        {
            cadre.Archived = true;
            cadre.UpdatedAt = DateTimeOffset.UtcNow;
            audit.Record(db, "cadre.archived", "cadre", id.ToString(), reason: reason);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Match(IdentityMatch request, HttpContext http, StaffingDb db, IdentityNumberHasher hasher, CancellationToken ct)
    {
        if (request.IdentityNumber is null || !IdentityNumberHasher.IsValid(request.IdentityNumber)) return Problems.Invalid("identityNumber", "not a valid 18-character identity number");
        var hash = hasher.Hash(request.IdentityNumber);
        var cadre = await db.Cadres.AsNoTracking().FirstOrDefaultAsync(c => c.IdentityHash == hash, ct);
        return cadre is not null && http.User.Oversees(cadre.JurisdictionPath)
            ? TypedResults.Ok(CadreView.Of(cadre))
            : Problems.NotFound("No cadre with this identity number in your jurisdiction.");
    }

    private static async Task<IResult> History(Guid id, HttpContext http, StaffingDb db, CancellationToken ct)
    {
        if (await FindVisible(http, db, id, ct) is not { } cadre) return Problems.NotFound($"No cadre {id} in your jurisdiction.");
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => e.CadreId == id).OrderBy(e => e.UpdatedAt).ToListAsync(ct);
        return TypedResults.Ok(new CadreHistory(CadreView.Of(cadre), [.. cadre.Services.OrderBy(s => s.StartsOn)], evaluations));
    }
}
