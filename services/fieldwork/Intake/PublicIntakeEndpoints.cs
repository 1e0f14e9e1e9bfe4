using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Xuncha.Fieldwork.Announcements;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Intake;

/// <summary>码上巡察: the anonymous routes (gateway /api/fieldwork/public/** → /public/**). No token, no account, no address kept.</summary>
public static partial class PublicIntakeEndpoints
{
    public sealed record ReporterInput(
        [property: Required, StringLength(50, MinimumLength = 1)] string? Name,
        [property: Required, RegularExpression(@"^\+?[0-9][0-9\- ]{5,19}$")] string? Phone,
        [property: StringLength(200)] string? Contact);

    public sealed record AttachmentInput(
        [property: Required, StringLength(200, MinimumLength = 1)] string? FileName,
        [property: Required] string? DataBase64);

    public sealed record SubmitPetition(
        [property: Required] PetitionCategory? Category,
        [property: Required, StringLength(100, MinimumLength = 2)] string? Subject,
        [property: Required, StringLength(5000, MinimumLength = 10)] string? Content,
        bool Anonymous,
        ReporterInput? Reporter,
        [property: MaxLength(10)] List<AttachmentInput>? Attachments);

    public sealed record Receipt(string ReceiptCode, string Status, string StatusText, DateTimeOffset ReceivedAt);

    public sealed record ReceiptStatus(string ReceiptCode, string Category, string CategoryText, string Status, string StatusText,
        DateTimeOffset ReceivedAt, string? Reply, DateTimeOffset? RepliedAt);

    public sealed record PublicAnnouncement(string Target, DateOnly OpensOn, DateOnly ClosesOn, bool Open, string AcceptedScope,
        string Hotline, string Mailbox, string? PostalAddress, IReadOnlyList<CategoryOption> Categories, string FormUrl, string QrPng, string QrSvg);

    public sealed record CategoryOption(string Value, string Label);

    /// <summary>Three 2 MB files in base64 plus the text: the endpoint's own body limit (the gateway's public route allows the same).</summary>
    private const long MaxSubmissionBytes = 10 * 1024 * 1024;

    public static void MapPublicIntake(this WebApplication app)
    {
        var pub = app.MapGroup("/public").AllowAnonymous().WithTags("码上巡察");
        pub.MapGet("/intake/{code}", GetAnnouncement).RequireRateLimiting(IntakeRateLimits.Read);
        pub.MapGet("/intake/{code}/form", IntakePage.Render).RequireRateLimiting(IntakeRateLimits.Read).ExcludeFromDescription();
        pub.MapGet("/intake/{code}/qr.png", QrPng).RequireRateLimiting(IntakeRateLimits.Read);
        pub.MapGet("/intake/{code}/qr.svg", QrSvg).RequireRateLimiting(IntakeRateLimits.Read);
        pub.MapPost("/intake/{code}/petitions", Submit).RequireRateLimiting(IntakeRateLimits.Submit)
            .WithMetadata(new RequestSizeLimitAttribute(MaxSubmissionBytes));
        pub.MapGet("/receipts/{receiptCode}", Track).RequireRateLimiting(IntakeRateLimits.Read);
    }

    internal sealed record IntakeTarget(Announcement Announcement, Workspaces.Workspace Workspace);

    internal static async Task<IntakeTarget?> FindAnnouncementAsync(FieldworkDb db, string code, CancellationToken ct)
    {
        if (!PublicCodes.LooksValid(code)) return null;
        return await db.Announcements.AsNoTracking().Where(a => a.IntakeCode == code)
            .Join(db.Workspaces, a => a.WorkspaceId, w => w.Id, (a, w) => new IntakeTarget(a, w)).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// The announcement behind a submission, cached for a few seconds: during a QR rush every submission names the same
    /// one, and an amended announcement takes effect within the cache's lifetime.
    /// </summary>
    private static async Task<Announcement?> CachedAnnouncementAsync(FieldworkDb db, IMemoryCache cache, string code, CancellationToken ct)
    {
        if (cache.TryGetValue(("intake", code), out Announcement? hit)) return hit;
        var found = (await FindAnnouncementAsync(db, code, ct))?.Announcement;
        // Only real announcements are kept: made-up codes cannot fill the cache.
        if (found is not null) cache.Set(("intake", code), found, TimeSpan.FromSeconds(5));
        return found;
    }

    private static async Task<IResult> GetAnnouncement(string code, FieldworkDb db, IntakeLinks links, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAnnouncementAsync(db, code, ct) is not { Announcement: var a, Workspace: var w }) return Problems.NotFound("No intake with that id is visible to you.");
        var baseUrl = links.FormUrl(code)[..^"/form".Length];
        return Results.Ok(new PublicAnnouncement(w.DisplayName, a.OpensOn, a.ClosesOn, a.AcceptsOn(clock.Today()), a.AcceptedScope,
            a.Hotline, a.Mailbox, a.PostalAddress,
            [.. Enum.GetValues<PetitionCategory>().Select(c => new CategoryOption(c.ToString(), c.Label()))],
            links.FormUrl(code), baseUrl + "/qr.png", baseUrl + "/qr.svg"));
    }

    private static async Task<IResult> QrPng(string code, FieldworkDb db, IntakeLinks links, CancellationToken ct) =>
        await FindAnnouncementAsync(db, code, ct) is null ? Problems.NotFound("No intake with that id is visible to you.") : Results.File(links.Png(code), "image/png");

    private static async Task<IResult> QrSvg(string code, FieldworkDb db, IntakeLinks links, CancellationToken ct) =>
        await FindAnnouncementAsync(db, code, ct) is null ? Problems.NotFound("No intake with that id is visible to you.") : Results.Text(links.Svg(code), "image/svg+xml");

    private static async Task<IResult> Submit(string code, SubmitPetition request, FieldworkDb db, ReporterVault vault,
        AttachmentPolicy policy, IMemoryCache cache, TimeProvider clock, CancellationToken ct)
    {
        if (!PublicCodes.LooksValid(code) || await CachedAnnouncementAsync(db, cache, code, ct) is not { } announcement) return Problems.NotFound("No intake with that id is visible to you.");
        var today = clock.Today();
        if (!announcement.AcceptsOn(today))
        {
            return RuleProblems.Rule("不在受理期内 Intake closed",
                $"This announcement accepts submissions from {announcement.OpensOn:yyyy-MM-dd} to {announcement.ClosesOn:yyyy-MM-dd}.",
                extensions: new Dictionary<string, object?> { ["rule"] = "intake-period" });
        }
        if (Validate(request, policy) is { } invalid) return invalid;

        var attachments = new List<PetitionAttachment>();
        var petitionId = Guid.NewGuid();
        foreach (var (input, i) in (request.Attachments ?? []).Select((a, i) => (a, i)))
        {
            var field = $"attachments[{i}].dataBase64";
            // Checked before decoding so an oversized upload costs no allocation.
            if (input.DataBase64!.Length > (policy.MaxBytes + 2) / 3 * 4)
                return Results.Problem(statusCode: 413, title: "附件过大 Attachment too large", detail: $"'{field}' exceeds {policy.MaxBytes} bytes.");
            var bytes = new byte[input.DataBase64.Length * 3 / 4 + 3];
            if (!Convert.TryFromBase64String(input.DataBase64, bytes, out var length) || length == 0)
                return Problems.Invalid(field, "Not valid base64 data.");
            if (length > policy.MaxBytes)
                return Results.Problem(statusCode: 413, title: "附件过大 Attachment too large", detail: $"'{field}' exceeds {policy.MaxBytes} bytes.");
            if (AttachmentPolicy.Sniff(bytes.AsSpan(0, length)) is not { } type)
                return Results.Problem(statusCode: 415, title: "附件类型不受支持 Unsupported attachment",
                    detail: $"'{field}': only JPEG, PNG and PDF files are accepted.");
            attachments.Add(new PetitionAttachment
            {
                Id = Guid.NewGuid(), PetitionId = petitionId, FileName = AttachmentPolicy.SafeName(input.FileName),
                ContentType = type, Length = length, Content = bytes[..length],
            });
        }

        var fingerprint = Fingerprint(announcement.WorkspaceId, request.Category!.Value, request.Content!);
        var petition = new Petition
        {
            Id = petitionId,
            WorkspaceId = announcement.WorkspaceId,
            ReceiptCode = PublicCodes.New(),
            Category = request.Category.Value,
            Subject = request.Subject!.Trim(),
            Content = request.Content!.Trim(),
            Anonymous = request.Anonymous,
            SealedReporter = request.Anonymous ? null
                : vault.Seal(petitionId, new ReporterIdentity(request.Reporter!.Name!.Trim(), request.Reporter.Phone!.Trim(), request.Reporter.Contact?.Trim())),
            Fingerprint = fingerprint,
            Status = PetitionStatus.Received,
            ReceivedAt = clock.GetUtcNow(),
            Attachments = attachments,
        };
        db.Petitions.Add(petition);
        // Written by hand: the shared audit helper keeps the client address, which would undo the reporter's anonymity.
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = petition.ReceivedAt, Actor = "public", Action = "petition.received", EntityType = "petition", EntityId = petition.Id.ToString(),
            After = System.Text.Json.JsonSerializer.Serialize(new { petition.WorkspaceId, Category = petition.Category.ToString(), petition.Anonymous, Attachments = attachments.Count }),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        // The unique index decides duplicates (also between concurrent submissions) in the same round trip as the insert.
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: Petition.DuplicateIndex })
        {
            return Results.Problem(statusCode: 409, title: "重复提交 Duplicate submission",
                detail: "The same content has already been received for this inspection; keep the receipt code you were given.");
        }
        return Results.Created($"/public/receipts/{petition.ReceiptCode}",
            new Receipt(petition.ReceiptCode, petition.Status.ToString(), petition.Status.Label(), petition.ReceivedAt));
    }

    private static IResult? Validate(SubmitPetition request, AttachmentPolicy policy)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(request.Category!.Value)) errors["category"] = ["Unknown category."];
        foreach (var (field, text) in new[] { ("subject", request.Subject), ("content", request.Content), ("reporter.name", request.Reporter?.Name), ("reporter.contact", request.Reporter?.Contact) })
        {
            if (PlainText.HasMarkup(text)) errors[field] = ["Plain text only: markup is not accepted."];
        }
        if (request.Anonymous && request.Reporter is not null) errors["reporter"] = ["Omit the reporter when submitting anonymously."];
        if (!request.Anonymous && request.Reporter is null) errors["reporter"] = ["A named submission needs the reporter's name and phone."];
        if (request.Attachments is { Count: var n } && n > policy.MaxCount) errors["attachments"] = [$"At most {policy.MaxCount} attachments."];
        return errors.Count == 0 ? null : Results.ValidationProblem(errors, title: "请求参数有误 Validation failed");
    }

    /// <summary>Same category and content (whitespace-insensitive) to the same workspace is the same submission.</summary>
    private static string Fingerprint(Guid workspaceId, PetitionCategory category, string content)
    {
        var normalised = Whitespace().Replace(content, "");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{workspaceId:N}|{category}|{normalised}")));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static async Task<IResult> Track(string receiptCode, FieldworkDb db, CancellationToken ct)
    {
        if (!PublicCodes.LooksValid(receiptCode)) return Problems.NotFound("No receipt with that id is visible to you.");
        var p = await db.Petitions.AsNoTracking().FirstOrDefaultAsync(x => x.ReceiptCode == receiptCode, ct);
        return p is null
            ? Problems.NotFound("No receipt with that id is visible to you.")
            : Results.Ok(new ReceiptStatus(p.ReceiptCode, p.Category.ToString(), p.Category.Label(), p.Status.ToString(), p.Status.Label(), p.ReceivedAt, p.Reply, p.RepliedAt));
    }
}
