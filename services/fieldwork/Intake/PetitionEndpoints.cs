using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Intake;

/// <summary>The group's side of 码上巡察: the petitions without any reporter, triage, replies; the identity for the leader only.</summary>
public static class PetitionEndpoints
{
    public sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, int Length);

    public sealed record PetitionView(Guid Id, string ReceiptCode, string Category, string CategoryText, string Subject, string Content,
        bool Anonymous, string Status, string StatusText, string? Triage, string? ForwardedTo, string? Reply, DateTimeOffset ReceivedAt,
        IReadOnlyList<AttachmentInfo> Attachments, uint Version);

    public sealed record TriagePetition([property: Required] TriageDecision? Decision, [property: StringLength(200)] string? ForwardedTo,
        [property: StringLength(1000)] string? Note);

    public sealed record ReplyToPetition([property: Required, StringLength(2000, MinimumLength = 2)] string? Reply, bool Concluded);

    public static void MapPetitions(this RouteGroupBuilder workspaces)
    {
        workspaces.MapGet("/{id:guid}/petitions", List);
        workspaces.MapGet("/{id:guid}/petitions/{petitionId:guid}/reporter", Reporter);
        workspaces.MapGet("/{id:guid}/petitions/{petitionId:guid}/attachments/{attachmentId:guid}", Attachment);
        workspaces.MapPost("/{id:guid}/petitions/{petitionId:guid}/triage", Triage);
        workspaces.MapPost("/{id:guid}/petitions/{petitionId:guid}/reply", Reply);
    }

    private static PetitionView View(Petition p) => new(p.Id, p.ReceiptCode, p.Category.ToString(), p.Category.Label(), p.Subject, p.Content,
        p.Anonymous, p.Status.ToString(), p.Status.Label(), p.Triage?.ToString(), p.ForwardedTo, p.Reply, p.ReceivedAt,
        [.. p.Attachments.Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Length))], p.Version);

    private static async Task<IResult> List(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is null) return Problems.NotFound("No workspace with that id is visible to you.");
        // Attachment bytes stay in the database; only their descriptions are listed.
        var petitions = await db.Petitions.AsNoTracking().Where(p => p.WorkspaceId == id).OrderBy(p => p.ReceivedAt)
            .Select(p => new { p, Files = p.Attachments.Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Length)).ToList() })
            .ToListAsync(ct);
        return Results.Ok(petitions.Select(x => View(x.p) with { Attachments = x.Files }));
    }

    /// <summary>The reporter's identity: the group leader only, and every read is audited.</summary>
    private static async Task<IResult> Reporter(Guid id, Guid petitionId, HttpContext http, FieldworkDb db, ReporterVault vault, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader) return Problems.Forbidden("Only the group leader (组长) may see who reported.");
        var petition = await db.Petitions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == petitionId && p.WorkspaceId == id, ct);
        if (petition is null) return Problems.NotFound("No petition with that id is visible to you.");
        audit.Record(db, "petition.reporter-read", "petition", petition.Id.ToString(), reason: "group leader opened the reporter's identity");
        await db.SaveChangesAsync(ct);
        if (petition.SealedReporter is null) return Results.Ok(new { anonymous = true });
        var identity = vault.Open(petition.Id, petition.SealedReporter);
        return Results.Ok(new { anonymous = false, name = identity.Name, phone = identity.Phone, contact = identity.Contact });
    }

    private static async Task<IResult> Attachment(Guid id, Guid petitionId, Guid attachmentId, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is null) return Problems.NotFound("No workspace with that id is visible to you.");
        var file = await db.Petitions.Where(p => p.Id == petitionId && p.WorkspaceId == id).SelectMany(p => p.Attachments)
            .FirstOrDefaultAsync(a => a.Id == attachmentId, ct);
        if (file is null) return Problems.NotFound("No attachment with that id is visible to you.");
        // Inert: always a download with a generic type, never rendered by the browser.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return Results.File(file.Content, "application/octet-stream", file.FileName);
    }

    private static async Task<IResult> Triage(Guid id, Guid petitionId, TriagePetition request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Petitions are handled by members of the group.");
        if (!Enum.IsDefined(request.Decision!.Value)) return Problems.Invalid("decision", "Unknown decision.");
        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == petitionId && p.WorkspaceId == id, ct);
        if (petition is null) return Problems.NotFound("No petition with that id is visible to you.");
        var outOfScope = request.Decision != TriageDecision.InScope;
        if (outOfScope && string.IsNullOrWhiteSpace(request.ForwardedTo))
            return RuleProblems.Rule("转交去向缺失", "An out-of-scope petition is recorded as forwarded: name where it goes.",
                new Dictionary<string, string[]> { ["forwardedTo"] = ["Required when the decision is out of scope."] });
        var before = new { Status = petition.Status.ToString(), Triage = petition.Triage?.ToString() };
        petition.Triage = request.Decision;
        petition.Status = outOfScope ? PetitionStatus.Forwarded : PetitionStatus.UnderVerification;
        petition.ForwardedTo = outOfScope ? request.ForwardedTo!.Trim() : null;
        audit.Record(db, "petition.triaged", "petition", petition.Id.ToString(), before,
            new { Status = petition.Status.ToString(), Triage = petition.Triage.ToString(), petition.ForwardedTo }, request.Note);
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(petition));
    }

    private static async Task<IResult> Reply(Guid id, Guid petitionId, ReplyToPetition request, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Petitions are handled by members of the group.");
        if (PlainText.HasMarkup(request.Reply)) return Problems.Invalid("reply", "Plain text only: markup is not accepted.");
        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == petitionId && p.WorkspaceId == id, ct);
        if (petition is null) return Problems.NotFound("No petition with that id is visible to you.");
        petition.Reply = request.Reply!.Trim();
        petition.RepliedAt = clock.GetUtcNow();
        if (request.Concluded) petition.Status = PetitionStatus.Concluded;
        audit.Record(db, "petition.replied", "petition", petition.Id.ToString(), after: new { petition.Reply, Status = petition.Status.ToString() });
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(petition));
    }
}
