using System.Net;
using System.Net.Http.Json;
using Xuncha.Contracts.AuditLinkage;
using Xuncha.Fieldwork.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Fieldwork.Tests;

/// <summary>Suggested problems from audit linkage, the interview/visit log, 日清周结 task lists, and the announcement with its QR code.</summary>
[Collection(Servers.Name)]
public sealed class FieldworkLogTests(FieldworkHost host) : IClassFixture<FieldworkHost>
{
    [Fact]
    public async Task Suggested_problems_from_audit_linkage_are_verified_into_papers_or_dismissed_with_a_reason()
    {
        var s = await new Scenario(host).OpenAsync();
        var finding = new AuditFindingShared
        {
            FindingId = Guid.NewGuid(), RoundId = s.RoundId, GroupId = s.GroupId, TargetId = s.TargetId, Jurisdiction = Scenario.County,
            Title = "产业扶持资金拨付超期", Facts = "2025年产业扶持资金拨付平均用时32个工作日。", Amount = 350000m, SharedAt = DateTimeOffset.UtcNow,
        };
        var hits = new ComparisonHitsFound
        {
            RunId = Guid.NewGuid(), RoundId = s.RoundId, GroupId = null, TargetId = s.TargetId, Jurisdiction = Scenario.County, FoundAt = DateTimeOffset.UtcNow,
            Hits = [new ComparisonHit { HitId = Guid.NewGuid(), Rule = "补贴发放给已故人员", Summary = "2名已故人员仍领取养老补贴", Amount = 4800m }],
        };
        await host.Publish(finding);
        await host.Publish(hits);
        await host.Publish(hits); // a second delivery with a new message id: still one suggestion per hit
        using var member = s.As(s.MemberA);
        var list = await Eventually.Until(() => member.GetJson($"{s.Ws}/suggestions"), l => l.GetArrayLength() >= 2, TimeSpan.FromSeconds(15), "suggestions");
        await Task.Delay(500);
        list = await member.GetJson($"{s.Ws}/suggestions");
        Assert.Equal(2, list.GetArrayLength());
        var audit = list.EnumerateArray().Single(x => x.Str("origin") == "audit");
        var data = list.EnumerateArray().Single(x => x.Str("origin") == "data");

        var paper = await member.PostJson($"{s.Ws}/suggestions/{audit.Str("id")}/verify", new { }, HttpStatusCode.Created);
        Assert.Equal("Audit", paper.Str("source"));
        Assert.Equal("Draft", paper.Str("status"));
        Assert.Equal(350000m, paper.GetProperty("amount").GetDecimal());
        await (await member.PostAsync($"{s.Ws}/suggestions/{audit.Str("id")}/verify", null)).Problem(HttpStatusCode.Conflict);
        await (await member.PostAsJsonAsync($"{s.Ws}/suggestions/{data.Str("id")}/dismiss", new { })).Problem(HttpStatusCode.BadRequest);
        var dismissed = await member.PostJson($"{s.Ws}/suggestions/{data.Str("id")}/dismiss", new { reason = "经核实系民政系统数据未及时更新，补贴已停发" }, HttpStatusCode.OK);
        Assert.Equal("Dismissed", dismissed.Str("status"));

        // Another group's workspace on another target sees none of them.
        var other = await new Scenario(host).OpenAsync();
        using var stranger = other.As(other.Leader);
        Assert.Equal(0, (await stranger.GetJson($"{other.Ws}/suggestions")).GetArrayLength());
    }

    [Fact]
    public async Task Interviews_and_visits_are_scheduled_and_recorded()
    {
        var s = await new Scenario(host).OpenAsync();
        using var member = s.As(s.MemberA);
        var at = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.FromHours(8));
        var interview = await member.PostJson($"{s.Ws}/activities", new { kind = "Interview", scheduledAt = at, conductors = new[] { "组员张", "组员赵" }, counterpart = "村党支部书记", subject = "集体资产管理情况" }, HttpStatusCode.Created);
        await member.PostJson($"{s.Ws}/activities", new { kind = "Visit", scheduledAt = at.AddDays(1), conductors = new[] { "组员张" }, counterpart = "村民小组", subject = "走访低保户" }, HttpStatusCode.Created);
        await (await member.PostAsJsonAsync($"{s.Ws}/activities", new { kind = "Interview", scheduledAt = at, conductors = Array.Empty<string>(), counterpart = "x", subject = "y" })).Problem(HttpStatusCode.BadRequest);
        await (await member.PostAsJsonAsync($"{s.Ws}/activities", new { kind = "Party", scheduledAt = at, conductors = new[] { "a" }, counterpart = "x", subject = "y" })).Problem(HttpStatusCode.BadRequest);
        var recorded = await member.PostJson($"{s.Ws}/activities/{interview.Str("id")}/record", new { heldAt = at.AddMinutes(5), record = "谈话对象介绍了鱼塘出租情况，承认未召开村民代表会议。" }, HttpStatusCode.OK);
        Assert.NotNull(recorded.GetProperty("heldAt").GetString());
        await (await member.PostAsJsonAsync($"{s.Ws}/activities/{interview.Str("id")}/record", new { heldAt = at, record = "再次记录" })).Problem(HttpStatusCode.Conflict);
        var log = await member.GetJson($"{s.Ws}/activities");
        Assert.Equal(["Interview", "Visit"], log.EnumerateArray().Select(a => a.Str("kind")));
    }

    [Fact]
    public async Task Daily_tasks_are_closed_or_carried_over_with_a_reason_and_a_new_date()
    {
        var s = await new Scenario(host).OpenAsync();
        using var member = s.As(s.MemberB);
        var day = new DateOnly(2026, 11, 12);
        var a = await member.PostJson($"{s.Ws}/tasks", new { cadence = "Daily", title = "调阅2024年村集体账目", assignee = "组员赵", dueOn = day }, HttpStatusCode.Created);
        var b = await member.PostJson($"{s.Ws}/tasks", new { cadence = "Daily", title = "约谈村会计", assignee = "组员张", dueOn = day }, HttpStatusCode.Created);
        await member.PostJson($"{s.Ws}/tasks/{a.Str("id")}/complete", new { outcome = "已调阅并复印" }, HttpStatusCode.OK);
        await (await member.PostAsJsonAsync($"{s.Ws}/tasks/{b.Str("id")}/carry-over", new { newDueOn = day.AddDays(1) })).Problem(HttpStatusCode.BadRequest);
        await (await member.PostAsJsonAsync($"{s.Ws}/tasks/{b.Str("id")}/carry-over", new { reason = "村会计外出", newDueOn = day })).Problem(HttpStatusCode.UnprocessableEntity);
        var carried = await member.PostJson($"{s.Ws}/tasks/{b.Str("id")}/carry-over", new { reason = "村会计外出学习", newDueOn = day.AddDays(2) }, HttpStatusCode.OK);
        Assert.Equal(day.AddDays(2).ToString("yyyy-MM-dd"), carried.Str("dueOn"));
        Assert.Equal("村会计外出学习", carried.GetProperty("carryOvers")[0].Str("reason"));
        await (await member.PostAsJsonAsync($"{s.Ws}/tasks/{a.Str("id")}/carry-over", new { reason = "x1", newDueOn = day.AddDays(3) })).Problem(HttpStatusCode.Conflict);

        var today = await member.GetJson($"{s.Ws}/tasks?on={day:yyyy-MM-dd}");
        Assert.Equal(1, today.GetProperty("total").GetInt32());
        Assert.Equal(1, today.GetProperty("done").GetInt32());
        var later = await member.GetJson($"{s.Ws}/tasks?on={day.AddDays(2):yyyy-MM-dd}");
        Assert.Equal(1, later.GetProperty("carriedOver").GetInt32());
        await (await member.GetAsync($"{s.Ws}/tasks?on=not-a-date")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_announcement_has_an_intake_link_a_QR_code_a_page_and_a_document()
    {
        var s = await new Scenario(host).OpenAsync();
        using var member = s.As(s.MemberA);
        await (await member.PutAsJsonAsync($"{s.Ws}/announcement", new { opensOn = "2026-11-01", closesOn = "2026-12-31", acceptedScope = "范围", hotline = "0914-1234567", mailbox = "a@b.cn" })).Problem(HttpStatusCode.Forbidden);
        using var leader = s.As(s.Leader);
        await (await leader.PutAsJsonAsync($"{s.Ws}/announcement", new { opensOn = "2026-12-31", closesOn = "2026-11-01", acceptedScope = "范围", hotline = "0914-1234567", mailbox = "a@b.cn" })).Problem(HttpStatusCode.UnprocessableEntity);
        var code = await s.AnnounceAsync();
        var announcement = await member.GetJson($"{s.Ws}/announcement");
        Assert.Equal($"https://xuncha.example.cn/api/fieldwork/public/intake/{code}/form", announcement.Str("intakeUrl"));
        Assert.Contains(announcement.GetProperty("channels").EnumerateArray(), c => c.GetString()!.StartsWith("码上巡察"));

        using var citizen = host.Anonymous("192.0.2.77");
        var png = await citizen.GetByteArrayAsync($"/public/intake/{code}/qr.png");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        var svg = await citizen.GetAsync($"/public/intake/{code}/qr.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync());
        var page = await citizen.GetAsync($"/public/intake/{code}/form");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'nonce-", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("码上巡察", html);
        Assert.Contains("石门镇东沟村", html);
        var pub = await citizen.GetJson($"/public/intake/{code}");
        Assert.Equal(4, pub.GetProperty("categories").GetArrayLength());
        await (await citizen.GetAsync("/public/intake/ZZZZZZZZZZZZ/qr.png")).Problem(HttpStatusCode.NotFound);

        var doc = Docx.Text(await (await member.GetAsync($"{s.Ws}/announcement.docx")).Content.ReadAsByteArrayAsync());
        Assert.Contains("巡察的公告", doc);
        Assert.Contains("0914-1234567", doc);
        Assert.Contains(code, doc);
    }
}
