using Xuncha.ServiceDefaults.Http;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Rectification.Ledger;

/// <summary>台账: weekly updates and closure evidence, written by the unit's liaison.</summary>
public static class LedgerEndpoints
{
    public const long MaxEvidenceBytes = 10 * 1024 * 1024;

    /// <summary>Evidence formats accepted (scans, photos, office documents); anything else is refused.</summary>
    private static readonly Dictionary<string, string> EvidenceTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    public sealed record UpdateRequest(string? Progress, int? PercentComplete);
    public sealed record UpdateView(Guid Id, string Progress, int PercentComplete, DateTimeOffset At, string By);
    public sealed record EvidenceView(Guid Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);

    public static void MapLedger(this WebApplication app)
    {
        var read = app.MapGroup("/tasks/{id:guid}").WithTags("Ledger");
        read.MapGet("", GetTask);
        read.MapGet("/updates", Updates);
        read.MapGet("/evidence", EvidenceList);
        read.MapGet("/evidence/{evidenceId:guid}", Download);
        var unit = app.MapGroup("/tasks/{id:guid}").WithTags("Ledger").RequireRoles(CaseAccess.Liaison);
        unit.MapPost("/updates", AddUpdate);
        unit.MapPost("/evidence", Upload).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxEvidenceBytes + 64 * 1024));
    }

    private static async Task<IResult> GetTask(Guid id, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, CancellationToken ct) =>
        await db.VisibleTaskAsync(http.User, id, ct) is var (task, _)
            ? TypedResults.Ok(CaseEndpoints.TaskViewOf(task, clock.GetUtcNow(), options.Value))
            : Problems.NotFound(CaseLookup.NotFoundTask(id));

    private static async Task<IResult> Updates(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleTaskAsync(http.User, id, ct) is null) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        return TypedResults.Ok(await db.Updates.AsNoTracking().Where(u => u.TaskId == id).OrderBy(u => u.At)
            .Select(u => new UpdateView(u.Id, u.Progress, u.PercentComplete, u.At, u.By)).ToListAsync(ct));
    }

    private static async Task<IResult> AddUpdate(Guid id, UpdateRequest request, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors().Text("progress", request.Progress, 4000)
            .Check(request.PercentComplete is >= 0 and <= 100, "percentComplete", "required, 0–100");
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.InProgress) return Problems.Conflict($"The task is {task.Status}; the ledger is updated while a task is in progress.");
        var now = clock.GetUtcNow();
        var update = new TaskUpdate { Id = Guid.CreateVersion7(), TaskId = id, Progress = request.Progress!.Trim(), PercentComplete = request.PercentComplete!.Value, At = now, By = http.User.Subject() };
        db.Updates.Add(update);
        // An append-only log; the task's "last update" moves regardless of who read which version.
        task.LastUpdateAt = now;
        audit.Record(db, "task.updated", "task", id.ToString(), after: new { update.Progress, update.PercentComplete }, reason: "台账周更新");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/tasks/{id}/updates", new UpdateView(update.Id, update.Progress, update.PercentComplete, update.At, update.By));
    }

    private static async Task<IResult> EvidenceList(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleTaskAsync(http.User, id, ct) is null) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        return TypedResults.Ok(await db.Evidence.AsNoTracking().Where(e => e.TaskId == id).OrderBy(e => e.UploadedAt)
            .Select(e => new EvidenceView(e.Id, e.FileName, e.ContentType, e.Size, e.Sha256, e.UploadedAt)).ToListAsync(ct));
    }

    private static async Task<IResult> Download(Guid id, Guid evidenceId, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleTaskAsync(http.User, id, ct) is null) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        var e = await db.Evidence.AsNoTracking().FirstOrDefaultAsync(x => x.Id == evidenceId && x.TaskId == id, ct);
        return e is null ? Problems.NotFound($"No evidence {evidenceId} on this task.") : TypedResults.File(e.Content, e.ContentType, e.FileName);
    }

    private static async Task<IResult> Upload(Guid id, IFormFile file, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var name = Path.GetFileName(file.FileName ?? "");
        var extension = Path.GetExtension(name);
        var errors = new FieldErrors()
            .Check(file.Length > 0, "file", "empty file")
            .Check(file.Length <= MaxEvidenceBytes, "file", $"at most {MaxEvidenceBytes} bytes")
            .Check(name.Length is > 0 and <= 255 && !name.Any(char.IsControl), "file", "a file name of at most 255 characters is required")
            .Check(EvidenceTypes.ContainsKey(extension), "file", $"accepted formats: {string.Join(", ", EvidenceTypes.Keys)}");
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c) || !http.User.IsUnitOf(c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        if (task.Status != LedgerStatus.InProgress) return Problems.Conflict($"The task is {task.Status}; evidence is attached while a task is in progress.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var evidence = new Evidence
        {
            Id = Guid.CreateVersion7(),
            TaskId = id,
            FileName = name,
            ContentType = EvidenceTypes[extension],
            Size = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Content = bytes,
            UploadedAt = clock.GetUtcNow(),
            By = http.User.Subject(),
        };
        db.Evidence.Add(evidence);
        audit.Record(db, "evidence.attached", "task", id.ToString(), after: new { evidence.Id, evidence.FileName, evidence.Size, evidence.Sha256 }, reason: "销号佐证材料");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/tasks/{id}/evidence/{evidence.Id}", new EvidenceView(evidence.Id, evidence.FileName, evidence.ContentType, evidence.Size, evidence.Sha256, evidence.UploadedAt));
    }
}
