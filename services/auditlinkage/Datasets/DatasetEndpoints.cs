using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.AuditLinkage.Datasets;

public static class DatasetEndpoints
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapDatasets(this IEndpointRouteBuilder app, long maxImportBytes)
    {
        app.MapGet("/dataset-kinds", () => TypedResults.Ok(DatasetCatalog.All.Select(k => new
        {
            k.Code, k.Label, Columns = k.Columns.Select(c => new { c.Name, c.Label, Type = c.Type.ToString(), c.Required }),
        }))).RequireRoles(RoundAccess.LinkageRoles);

        var group = app.MapGroup("/rounds/{roundId:guid}/datasets");
        group.MapPost("/{kind}/imports", ImportAsync).WithMetadata(new RequestSizeLimitAttribute(maxImportBytes));
        group.MapGet("/", ListAsync);
        group.MapGet("/{kind}/versions/{number:int}", GetVersionAsync);
        group.MapGet("/{kind}/versions/{number:int}/errors", GetErrorsAsync);
    }

    private static async Task<IResult> ImportAsync(Guid roundId, string kind, string? fileName, HttpRequest request, RoundAccess access,
        DatasetImporter importer, CancellationToken ct)
    {
        var (caller, denied) = await access.CheckAsync(request.HttpContext.User, roundId, ct);
        if (caller is null) return denied!;
        var datasetKind = DatasetCatalog.Find(kind);
        if (datasetKind is null) return ApiProblems.NotFound("dataset kind", kind);
        if (fileName is { Length: > 300 }) return ApiProblems.Invalid("fileName", "At most 300 characters.");
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        ITabularSource source;
        switch (mediaType)
        {
            case CsvType or "application/csv":
                source = new CsvSource(request.Body);
                break;
            case XlsxType:
                try
                {
                    source = await XlsxSource.OpenAsync(request.Body, ct);
                }
                catch (InvalidDataException)
                {
                    return ApiProblems.RuleViolated("dataset.xlsx", "The body is not a readable .xlsx workbook.");
                }
                break;
            default:
                return TypedResults.Problem(statusCode: 415, title: "不支持的文件类型 Unsupported media type",
                    detail: $"Send the file as {CsvType} or {XlsxType}.");
        }
        await using (source)
        {
            return await importer.ImportAsync(roundId, datasetKind, source, mediaType == XlsxType ? "xlsx" : "csv", fileName, request.HttpContext.User.Subject(), ct);
        }
    }

    private static async Task<IResult> ListAsync(Guid roundId, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct)
    {
        var (caller, denied) = await access.CheckAsync(http.User, roundId, ct);
        if (caller is null) return denied!;
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.RoundId == roundId)
            .OrderBy(v => v.Kind).ThenBy(v => v.Number).ToListAsync(ct);
        return TypedResults.Ok(versions);
    }

    private static async Task<IResult> GetVersionAsync(Guid roundId, string kind, int number, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct)
    {
        var (caller, denied) = await access.CheckAsync(http.User, roundId, ct);
        if (caller is null) return denied!;
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.RoundId == roundId && v.Kind == kind && v.Number == number, ct);
        return version is null ? ApiProblems.NotFound("dataset version", $"{kind}/{number}") : TypedResults.Ok(version);
    }

    private static async Task<IResult> GetErrorsAsync(Guid roundId, string kind, int number, int? offset, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct)
    {
        var (caller, denied) = await access.CheckAsync(http.User, roundId, ct);
        if (caller is null) return denied!;
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.RoundId == roundId && v.Kind == kind && v.Number == number, ct);
        if (version is null) return ApiProblems.NotFound("dataset version", $"{kind}/{number}");
        var errors = await db.ImportErrors.AsNoTracking().Where(e => e.VersionId == version.Id).OrderBy(e => e.Line)
            .Skip(Math.Max(offset ?? 0, 0)).Take(200).Select(e => new RowError(e.Line, e.Column, e.Message)).ToListAsync(ct);
        return TypedResults.Ok(new { version.RowsRejected, Errors = errors });
    }
}
