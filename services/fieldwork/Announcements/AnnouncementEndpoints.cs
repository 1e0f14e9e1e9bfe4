using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Documents;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Announcements;

public static class AnnouncementEndpoints
{
    public sealed record PublishAnnouncement(
        [property: Required] DateOnly? OpensOn,
        [property: Required] DateOnly? ClosesOn,
        [property: Required, StringLength(1000, MinimumLength = 2)] string? AcceptedScope,
        [property: Required, RegularExpression(@"^[0-9\-+ ()]{5,40}$")] string? Hotline,
        [property: Required, EmailAddress, StringLength(200)] string? Mailbox,
        [property: StringLength(200)] string? PostalAddress);

    public sealed record AnnouncementView(Guid Id, Guid WorkspaceId, string Target, DateOnly OpensOn, DateOnly ClosesOn, string AcceptedScope,
        string Hotline, string Mailbox, string? PostalAddress, string IntakeCode, string IntakeUrl, string QrPng, string QrSvg,
        IReadOnlyList<string> Channels, DateTimeOffset PublishedAt, uint Version);

    public static void MapAnnouncements(this RouteGroupBuilder workspaces)
    {
        workspaces.MapPut("/{id:guid}/announcement", Publish);
        workspaces.MapGet("/{id:guid}/announcement", Get);
        workspaces.MapGet("/{id:guid}/announcement.docx", Document);
    }

    private static AnnouncementView View(Announcement a, Workspace w, IntakeLinks links)
    {
        var url = links.FormUrl(a.IntakeCode);
        var base_ = url[..^"/form".Length];
        List<string> channels = [$"电话：{a.Hotline}", $"电子邮箱：{a.Mailbox}", $"码上巡察：{url}"];
        if (!string.IsNullOrWhiteSpace(a.PostalAddress)) channels.Insert(2, $"信件：{a.PostalAddress}");
        return new(a.Id, w.Id, w.DisplayName, a.OpensOn, a.ClosesOn, a.AcceptedScope, a.Hotline, a.Mailbox, a.PostalAddress,
            a.IntakeCode, url, base_ + "/qr.png", base_ + "/qr.svg", channels, a.PublishedAt, a.Version);
    }

    /// <summary>Publish or amend: the group leader or the office. The intake code stays the same once printed.</summary>
    private static async Task<IResult> Publish(Guid id, PublishAnnouncement request, HttpContext http, FieldworkDb db, IntakeLinks links,
        AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader && !caller.Office) return Problems.Forbidden("Only the group leader or the inspection office publishes the announcement.");
        if (request.ClosesOn < request.OpensOn)
            return RuleProblems.Rule("公告期限无效", "closesOn is before opensOn.", new Dictionary<string, string[]> { ["closesOn"] = ["Must not be before opensOn."] });
        foreach (var (field, text) in new[] { ("acceptedScope", request.AcceptedScope), ("postalAddress", request.PostalAddress) })
        {
            if (PlainText.HasMarkup(text)) return Problems.Invalid(field, "Plain text only: markup is not accepted.");
        }
        var announcement = await db.Announcements.FirstOrDefaultAsync(a => a.WorkspaceId == id, ct);
        var before = announcement is null ? null : new { announcement.OpensOn, announcement.ClosesOn, announcement.AcceptedScope, announcement.Hotline, announcement.Mailbox };
        if (announcement is null)
        {
            announcement = new Announcement { Id = Guid.NewGuid(), WorkspaceId = id, IntakeCode = PublicCodes.New() };
            db.Announcements.Add(announcement);
        }
        announcement.OpensOn = request.OpensOn!.Value;
        announcement.ClosesOn = request.ClosesOn!.Value;
        announcement.AcceptedScope = request.AcceptedScope!.Trim();
        announcement.Hotline = request.Hotline!.Trim();
        announcement.Mailbox = request.Mailbox!.Trim();
        announcement.PostalAddress = request.PostalAddress?.Trim();
        announcement.PublishedAt = clock.GetUtcNow();
        announcement.PublishedBy = caller.DisplayName;
        audit.Record(db, "announcement.published", "announcement", announcement.Id.ToString(), before,
            new { announcement.OpensOn, announcement.ClosesOn, announcement.AcceptedScope, announcement.Hotline, announcement.Mailbox });
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(announcement, caller.Workspace, links));
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, FieldworkDb db, IntakeLinks links, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        var a = await db.Announcements.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == id, ct);
        return a is null ? Problems.NotFound("No announcement with that id is visible to you.") : Results.Ok(View(a, caller.Workspace, links));
    }

    private static async Task<IResult> Document(Guid id, HttpContext http, FieldworkDb db, IntakeLinks links, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        var a = await db.Announcements.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == id, ct);
        if (a is null) return Problems.NotFound("No announcement with that id is visible to you.");
        var w = caller.Workspace;
        var doc = new DocxDocument()
            .Title($"{w.Group.Name}关于对{w.DisplayName}开展巡察的公告")
            .Paragraph($"根据巡察工作安排，{w.Group.Name}于{a.OpensOn.Chinese()}至{a.ClosesOn.Chinese()}对{w.DisplayName}开展巡察。")
            .Paragraph($"巡察期间，主要受理{a.AcceptedScope}。根据有关规定，巡察组主要受理反映被巡察党组织领导班子及其成员、下一级党组织领导班子主要负责人和重要岗位领导干部问题的来信来电来访，重点是违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和生活纪律等方面的举报和反映。其他不属于巡察受理范围的信访问题，将按规定转交有关部门处理。")
            .Paragraph("巡察组对反映人信息严格保密。欢迎通过以下方式反映情况：")
            .Field("值班电话", a.Hotline)
            .Field("电子邮箱", a.Mailbox);
        if (!string.IsNullOrWhiteSpace(a.PostalAddress)) doc.Field("信件地址", a.PostalAddress);
        doc.Field("码上巡察", links.FormUrl(a.IntakeCode))
            .Paragraph("（扫描二维码即可在手机上反映情况、查询办理进度）", indent: false)
            .Field("受理截止时间", a.ClosesOn.Chinese())
            .Right(w.Group.Name)
            .Right(DateOnly.FromDateTime(a.PublishedAt.UtcDateTime).Chinese());
        return DocxDocument.File(doc.ToBytes(), $"announcement-{a.IntakeCode}.docx");
    }
}
