using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Standards;

public static class StandardEndpoints
{
    public sealed record ItemRequest(
        [property: RegularExpression("^[A-Z]{2}-[0-9]{2,4}$")] string? Code,
        SupervisionDomain Domain,
        TargetKind Level,
        [property: Required, StringLength(500, MinimumLength = 2)] string Indicator,
        Comparison Comparison,
        [property: Range(0, 1_000_000)] decimal Threshold,
        [property: Required, StringLength(40, MinimumLength = 1)] string Unit,
        [property: Required, StringLength(1000, MinimumLength = 2)] string PolicyBasis,
        [property: Required, StringLength(2000, MinimumLength = 2)] string Reason);

    public static void MapStandards(this WebApplication app)
    {
        var group = app.MapGroup("/standards").WithTags("Standards");
        group.MapGet("/", List).RequireRoles(Need.AnyReader);
        group.MapGet("/versions", async (PlanningDb db, CancellationToken ct) =>
            TypedResults.Ok(await db.StandardVersions.AsNoTracking().OrderByDescending(v => v.Number).ToListAsync(ct))).RequireRoles(Need.AnyReader);
        group.MapPost("/items", Add).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapPut("/items/{code}", Replace).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapDelete("/items/{code}", Withdraw).RequireRoles(PlatformRoles.OfficeCoordinator);
    }

    private static async Task<IResult> List(int? version, string? domain, string? level, PlanningDb db, CancellationToken ct)
    {
        var number = version ?? await StandardsLibrary.LatestAsync(db, ct);
        if (!await db.StandardVersions.AnyAsync(v => v.Number == number, ct)) return Problems.NotFound($"Standards version {number}");
        var query = db.StandardItems.AsNoTracking().Where(i => i.Version == number);
        if (domain is not null)
        {
            if (!Codes.TryParse<SupervisionDomain>(domain, out var d)) return Problems.Invalid("domain", $"One of {Codes.Known<SupervisionDomain>()}.");
            query = query.Where(i => i.Domain == d);
        }
        if (level is not null)
        {
            if (!Codes.TryParse<TargetKind>(level, out var l)) return Problems.Invalid("level", $"One of {Codes.Known<TargetKind>()}.");
            query = query.Where(i => i.Level == l);
        }
        var items = await query.OrderBy(i => i.Code).ToListAsync(ct);
        return TypedResults.Ok(new { version = number, items });
    }

    private static Task<IResult> Add(ItemRequest request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        // [RegularExpression] lets an empty string through: an item without a code is no item.
        if (string.IsNullOrEmpty(request.Code)) return Task.FromResult<IResult>(Problems.Invalid("code", "A new item needs its code (e.g. RR-04)."));
        return Publish(db, audit, user, request.Reason, request.Code, items =>
            items.Any(i => i.Code == request.Code) ? null : [.. items, ToItem(request.Code, request)], ct);
    }

    private static Task<IResult> Replace(string code, ItemRequest request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct) =>
        Publish(db, audit, user, request.Reason, code, items =>
            items.Any(i => i.Code == code) ? [.. items.Select(i => i.Code == code ? ToItem(code, request) : i)] : null, ct);

    private static Task<IResult> Withdraw(string code, [Required, StringLength(2000, MinimumLength = 2)] string reason, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct) =>
        Publish(db, audit, user, reason, code, items => items.Any(i => i.Code == code) ? [.. items.Where(i => i.Code != code)] : null, ct);

    /// <summary><paramref name="change"/> answers null when the code is wrong for the change (taken for an add, missing otherwise).</summary>
    private static async Task<IResult> Publish(PlanningDb db, AuditTrail audit, ClaimsPrincipal user, string reason, string code,
        Func<List<StandardItem>, List<StandardItem>?> change, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73052)", ct);
        var latest = await StandardsLibrary.LatestAsync(db, ct);
        var current = await db.StandardItems.AsNoTracking().Where(i => i.Version == latest).ToListAsync(ct);
        var changed = change(current);
        if (changed is null)
        {
            return current.Any(i => i.Code == code) ? Problems.Conflict($"Item {code} already exists.") : Problems.NotFound($"Standard item {code}");
        }
        var version = await StandardsLibrary.PublishAsync(db, user.Subject(), reason, _ => changed, ct);
        audit.Record(db, "standards.published", "standard_version", version.Number.ToString(), new { version = latest }, new { version = version.Number, code }, reason);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new { version = version.Number, items = await db.StandardItems.AsNoTracking().Where(i => i.Version == version.Number).OrderBy(i => i.Code).ToListAsync(ct) });
    }

    private static StandardItem ToItem(string code, ItemRequest r) => new()
    {
        Code = code, Domain = r.Domain, Level = r.Level, Indicator = r.Indicator.Trim(), Comparison = r.Comparison, Threshold = r.Threshold,
        Unit = r.Unit.Trim(), PolicyBasis = r.PolicyBasis.Trim(),
    };
}
