using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Targets;

public static class TargetEndpoints
{
    /// <summary>Largest import accepted (a province's 20,000 targets as CSV is about 2 MB).</summary>
    public const long MaxImportBytes = 16 * 1024 * 1024;

    public sealed record AttributesRequest(
        [property: Range(0, 999_999_999_999)] decimal EconomicSize,
        [property: Range(0, int.MaxValue)] int Petitions,
        [property: Range(0, int.MaxValue)] int Projects,
        [property: Range(0, 999_999_999_999)] decimal SpecialFunds,
        bool WeakPartyOrganisation,
        bool DataAnomaly)
    {
        public TargetAttributes ToAttributes() => new()
        {
            EconomicSize = EconomicSize, Petitions = Petitions, Projects = Projects, SpecialFunds = SpecialFunds,
            WeakPartyOrganisation = WeakPartyOrganisation, DataAnomaly = DataAnomaly,
        };
    }

    public sealed record CreateTarget(
        [property: Required, RegularExpression(Codes.Pattern)] string Code,
        [property: Required, RegularExpression(Codes.Pattern)] string ParentCode,
        [property: Required, StringLength(100, MinimumLength = 1)] string Name,
        TargetKind Kind,
        AttributesRequest? Attributes);

    public sealed record UpdateTarget(
        [property: Required, StringLength(100, MinimumLength = 1)] string Name,
        [property: Required] AttributesRequest Attributes,
        uint Version,
        [property: Required, StringLength(2000, MinimumLength = 2)] string Reason);

    public sealed record TargetView(
        Guid Id, string Code, string ParentCode, string Name, TargetKind Kind, string KindLabel, string County,
        IReadOnlyList<string> JurisdictionPath, TargetAttributes Attributes, bool? OverrideKey, string? OverrideReason, uint Version)
    {
        public static TargetView Of(Target t) => new(t.Id, t.Code, t.ParentCode, t.Name, t.Kind, Codes.Label(t.Kind), t.County, t.JurisdictionPath,
            t.Attributes, t.OverrideKey, t.OverrideReason, t.Version);
    }

    public sealed record PageOf<T>(int Total, int Page, int PageSize, IReadOnlyList<T> Items);

    public static void MapTargets(this WebApplication app)
    {
        var group = app.MapGroup("/targets").WithTags("Targets");
        group.MapGet("/", List).RequireRoles(Need.SubtreeReaders);
        group.MapGet("/{id:guid}", Get).RequireRoles(Need.AnyReader);
        group.MapPost("/", Create).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapPut("/{id:guid}", Update).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapPost("/import", Import).RequireRoles(PlatformRoles.OfficeCoordinator)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes)).DisableAntiforgery();
        group.MapGet("/export", Export).RequireRoles(Need.SubtreeReaders);
    }

    /// <summary>Targets in the caller's subtree, filtered; one page at a time.</summary>
    public static IQueryable<Target> Visible(PlanningDb db, ClaimsPrincipal user, TargetKind? kind, string? county, string? parent, string? q)
    {
        var mine = user.Jurisdiction();
        var query = db.Targets.AsNoTracking().Where(t => t.JurisdictionPath.Contains(mine));
        if (kind is { } k) query = query.Where(t => t.Kind == k);
        if (!string.IsNullOrEmpty(county)) query = query.Where(t => t.County == county);
        if (!string.IsNullOrEmpty(parent)) query = query.Where(t => t.JurisdictionPath.Contains(parent));
        if (!string.IsNullOrEmpty(q)) query = query.Where(t => t.Name.Contains(q) || t.Code.Contains(q));
        return query;
    }

    private static async Task<IResult> List(string? kind, string? county, string? parent, string? q, int? page, int? pageSize, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        TargetKind? k = null;
        if (kind is not null)
        {
            if (!Codes.TryParse<TargetKind>(kind, out var parsed)) return Problems.Invalid("kind", $"One of {Codes.Known<TargetKind>()}.");
            k = parsed;
        }
        // The upper bound keeps (page - 1) * pageSize inside an int.
        if (page is < 1 or > 1_000_000) return Problems.Invalid("page", "Pages start at 1 (at most 1000000).");
        if (pageSize is < 1 or > 1000) return Problems.Invalid("pageSize", "Between 1 and 1000.");
        var size = pageSize ?? 100;
        var number = page ?? 1;
        var query = Visible(db, user, k, county, parent, q);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(t => t.Code).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PageOf<TargetView>(total, number, size, [.. items.Select(TargetView.Of)]));
    }

    private static async Task<IResult> Get(Guid id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var target = await db.Targets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (target is null || !await CanReadAsync(db, user, target, ct)) return Problems.NotFound($"Target {id}");
        return TypedResults.Ok(TargetView.Of(target));
    }

    /// <summary>Subtree readers; a group member for a target of their group; an inspected unit for itself only.</summary>
    public static async Task<bool> CanReadAsync(PlanningDb db, ClaimsPrincipal user, Target target, CancellationToken ct)
    {
        if (user.ReadsSubtree(target.JurisdictionPath)) return true;
        if (user.HasAnyRole(Need.UnitRoles) && user.Jurisdiction() == target.Code) return true;
        if (!user.HasAnyRole(Need.GroupRoles)) return false;
        var sub = user.Subject();
        return await db.RoundTargets.AnyAsync(rt => rt.TargetId == target.Id && rt.GroupId != null
            && db.Groups.Any(g => g.GroupId == rt.GroupId && g.MemberSubjects.Contains(sub)), ct);
    }

    private static async Task<IResult> Create(CreateTarget request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        // Binding accepts an enum as a number; one the enum does not define is no kind at all.
        if (!Enum.IsDefined(request.Kind)) return Problems.Invalid("kind", $"One of {Codes.Known<TargetKind>()}.");
        var placement = await TargetPlacement.LoadAsync(db, user, [request.Code, request.ParentCode], ct);
        if (placement.Exists(request.Code)) return Problems.Conflict($"A target with code '{request.Code}' exists.");
        var draft = new TargetDraft(request.Code, request.ParentCode, request.Name.Trim(), request.Kind, request.Attributes?.ToAttributes() ?? new TargetAttributes());
        var (target, reason) = placement.Place(draft);
        if (target is null) return RuleProblem.Of("target-placement", reason!);
        db.Targets.Add(target);
        audit.Record(db, "target.created", "target", target.Id.ToString(), after: TargetView.Of(target));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/targets/{target.Id}", TargetView.Of(target));
    }

    private static async Task<IResult> Update(Guid id, UpdateTarget request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var target = await db.Targets.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (target is null || !user.Edits(target.JurisdictionPath)) return Problems.NotFound($"Target {id}");
        var before = TargetView.Of(target);
        db.Entry(target).Property(t => t.Version).OriginalValue = request.Version;
        target.Name = request.Name.Trim();
        target.Attributes = request.Attributes.ToAttributes();
        target.UpdatedAt = DateTimeOffset.UtcNow;
        audit.Record(db, "target.updated", "target", id.ToString(), before, TargetView.Of(target), request.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TargetView.Of(target));
    }

    private static async Task<IResult> Import(HttpRequest http, bool? dryRun, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var (content, type, problem) = await ReadUploadAsync(http, ct);
        if (problem is not null) return problem;
        List<TargetFile.RawRow> rows;
        try
        {
            rows = TargetFile.Read(content!, type!);
        }
        catch (TargetFile.UnreadableFileException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "文件无法读取 Unreadable file");
        }
        if (rows.Count == 0) return Problems.Invalid("file", "The file has a header but no rows.");

        var (outcome, accepted) = await TargetImport.JudgeAsync(db, user, rows, ct);
        if (outcome.Rejected > 0)
        {
            return RuleProblem.Of("import-rows-rejected", $"{outcome.Rejected} of {outcome.Rows} rows were rejected; nothing was imported.",
                new Dictionary<string, object?> { ["outcome"] = outcome });
        }
        if (dryRun == true) return TypedResults.Ok(outcome);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await TargetImport.WriteAsync(db, accepted, ct);
        audit.Record(db, "targets.imported", "target_import", Guid.NewGuid().ToString(),
            after: new { outcome.Rows, outcome.Created, outcome.Updated, format = type }, reason: $"批量导入 {outcome.Rows} 条");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(outcome);
    }

    /// <summary>The uploaded file: a multipart form's first file, or the raw body; typed by content type or file name.</summary>
    private static async Task<(Stream? Content, string? Type, IResult? Problem)> ReadUploadAsync(HttpRequest http, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        string? type;
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(ct);
            var file = form.Files.FirstOrDefault();
            if (file is null) return (null, null, Problems.Invalid("file", "The form carries no file."));
            type = TypeOf(file.ContentType, file.FileName);
            await file.CopyToAsync(buffer, ct);
        }
        else
        {
            type = TypeOf(http.ContentType, null);
            await http.Body.CopyToAsync(buffer, ct);
        }
        if (type is null)
        {
            return (null, null, TypedResults.Problem($"Send {TargetFile.CsvType} or {TargetFile.XlsxType}.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "不支持的文件类型"));
        }
        buffer.Position = 0;
        return (buffer, type, null);
    }

    private static string? TypeOf(string? contentType, string? fileName)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (media == TargetFile.XlsxType || fileName?.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) == true) return TargetFile.XlsxType;
        if (media is TargetFile.CsvType or "application/csv" || fileName?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true) return TargetFile.CsvType;
        return null;
    }

    private static async Task<IResult> Export(string? format, string? kind, string? county, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        TargetKind? k = null;
        if (kind is not null)
        {
            if (!Codes.TryParse<TargetKind>(kind, out var parsed)) return Problems.Invalid("kind", $"One of {Codes.Known<TargetKind>()}.");
            k = parsed;
        }
        var targets = await Visible(db, user, k, county, null, null).OrderBy(t => t.Code).ToListAsync(ct);
        return (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => TypedResults.File(TargetFile.WriteCsv(targets), TargetFile.CsvType + "; charset=utf-8", "targets.csv"),
            "xlsx" => TypedResults.File(TargetFile.WriteXlsx(targets), TargetFile.XlsxType, "targets.xlsx"),
            _ => Problems.Invalid("format", "csv or xlsx."),
        };
    }
}
