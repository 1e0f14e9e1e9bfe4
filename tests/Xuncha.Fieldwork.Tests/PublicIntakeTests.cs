using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Tests;

/// <summary>码上巡察: anonymous intake with receipts, sealed reporter identities, per-address limits and hostile input.</summary>
[Collection(Servers.Name)]
public sealed class PublicIntakeTests(FieldworkHost host) : IClassFixture<FieldworkHost>
{
    private static int lastAddress;

    /// <summary>Each test speaks from its own client address, so per-address limits never couple tests.</summary>
    private HttpClient Public() => host.Anonymous($"203.0.113.{Interlocked.Increment(ref lastAddress)}");

    private static object Petition(string content, bool anonymous = true, object? reporter = null, object[]? attachments = null, string category = "Report") =>
        new { category, subject = "反映村干部问题", content, anonymous, reporter, attachments };

    [Fact]
    public async Task An_anonymous_petition_gets_a_receipt_with_which_the_status_and_reply_are_followed()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        using var citizen = Public();
        var receipt = await citizen.PostJson($"/public/intake/{code}/petitions", Petition("村委会主任违规将集体土地出租给亲属，租金未入账。"), HttpStatusCode.Created);
        var receiptCode = receipt.Str("receiptCode");
        Assert.Matches("^[A-Z2-9]{12}$", receiptCode);
        Assert.Equal("已受理", (await citizen.GetJson($"/public/receipts/{receiptCode}")).Str("statusText"));

        using var member = s.As(s.MemberA);
        var petition = (await member.GetJson($"{s.Ws}/petitions")).EnumerateArray().Single();
        var id = petition.Str("id");
        await member.PostJson($"{s.Ws}/petitions/{id}/reply", new { reply = "已受理，巡察组正在核实。", concluded = false }, HttpStatusCode.OK);
        var status = await citizen.GetJson($"/public/receipts/{receiptCode}");
        Assert.Equal("已受理，巡察组正在核实。", status.Str("reply"));
        await (await citizen.GetAsync("/public/receipts/AAAAAAAAAAAA")).Problem(HttpStatusCode.NotFound);
        await (await citizen.GetAsync("/public/receipts/'%20OR%201=1")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Out_of_scope_petitions_are_recorded_as_forwarded()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        using var citizen = Public();
        var receipt = await citizen.PostJson($"/public/intake/{code}/petitions", Petition("本人与邻居宅基地纠纷已起诉至法院，请巡察组帮忙。", category: "Other"), HttpStatusCode.Created);
        using var member = s.As(s.MemberB);
        var id = (await member.GetJson($"{s.Ws}/petitions")).EnumerateArray().Single().Str("id");
        var refused = await (await member.PostAsJsonAsync($"{s.Ws}/petitions/{id}/triage", new { decision = "InLitigation" })).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.True(refused.GetProperty("errors").TryGetProperty("forwardedTo", out _));
        using var office = s.Office();
        await (await office.PostAsJsonAsync($"{s.Ws}/petitions/{id}/triage", new { decision = "InScope" })).Problem(HttpStatusCode.Forbidden);
        var triaged = await member.PostJson($"{s.Ws}/petitions/{id}/triage", new { decision = "InLitigation", forwardedTo = "洛南县人民法院", note = "涉诉事项" }, HttpStatusCode.OK);
        Assert.Equal("Forwarded", triaged.Str("status"));
        Assert.Equal("已转交有关部门", (await citizen.GetJson($"/public/receipts/{receipt.Str("receiptCode")}")).Str("statusText"));
        Assert.True(await host.WithDb(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "petition.triaged" && a.EntityId == id)));
    }

    [Fact]
    public async Task The_reporters_identity_is_sealed_and_seen_only_by_the_group_leader()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        const string name = "举报人孙晓梅", phone = "13912345678";
        using var citizen = Public();
        var response = await citizen.PostAsJsonAsync($"/public/intake/{code}/petitions",
            Petition("村支书在危房改造补助评定中优亲厚友，其侄子不符合条件却获得补助。", anonymous: false, reporter: new { name, phone, contact = "微信 sxm2026" }));
        var receiptText = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receiptCode = JsonDocument.Parse(receiptText).RootElement.Str("receiptCode");
        var statusText = await citizen.GetStringAsync($"/public/receipts/{receiptCode}");

        // At rest: ciphertext only.
        var stored = await host.WithDb(db => db.Petitions.AsNoTracking().SingleAsync(p => p.WorkspaceId == s.WorkspaceId));
        Assert.NotNull(stored.SealedReporter);
        Assert.False(Contains(stored.SealedReporter!, name) || Contains(stored.SealedReporter!, phone));
        var rowText = await host.WithDb(db => db.Database.SqlQuery<string>($"SELECT p::text AS \"Value\" FROM petitions p WHERE p.id = {stored.Id}").SingleAsync());

        using var member = s.As(s.MemberA);
        var listText = await member.GetStringAsync($"{s.Ws}/petitions");
        await (await member.GetAsync($"{s.Ws}/petitions/{stored.Id}/reporter")).Problem(HttpStatusCode.Forbidden);
        using var deputy = s.As(s.Deputy);
        await (await deputy.GetAsync($"{s.Ws}/petitions/{stored.Id}/reporter")).Problem(HttpStatusCode.Forbidden);
        using var office = s.Office();
        await (await office.GetAsync($"{s.Ws}/petitions/{stored.Id}/reporter")).Problem(HttpStatusCode.Forbidden);

        using var leader = s.As(s.Leader);
        var identity = await leader.GetJson($"{s.Ws}/petitions/{stored.Id}/reporter");
        Assert.Equal(name, identity.Str("name"));
        Assert.Equal(phone, identity.Str("phone"));
        Assert.True(await host.WithDb(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "petition.reporter-read" && a.EntityId == stored.Id.ToString())));

        // Nowhere else: not in any other response, audit row, event or log line.
        var audit = (await host.WithDb(db => db.Set<AuditEntry>().AsNoTracking().ToListAsync()))
            .Select(a => $"{a.Before}|{a.After}|{a.Reason}|{a.ClientAddress}").ToList();
        var events = await host.AllOutboxPayloadsAsync();
        var logs = host.Logs.Lines.ToList();
        foreach (var secret in new[] { name, phone, "sxm2026" })
        {
            Assert.DoesNotContain(secret, receiptText);
            Assert.DoesNotContain(secret, statusText);
            Assert.DoesNotContain(secret, listText);
            Assert.DoesNotContain(secret, rowText);
            Assert.DoesNotContain(audit, a => a.Contains(secret));
            Assert.DoesNotContain(events, e => e.Contains(secret));
            Assert.DoesNotContain(logs, l => l.Contains(secret));
        }
        // The client address is not kept with the petition or its audit row either.
        Assert.DoesNotContain(audit, a => a.Contains("203.0.113."));
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    [Fact]
    public async Task The_same_content_twice_is_stored_once()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        using var citizen = Public();
        const string content = "村里低保评定不公开，有村干部亲属违规享受低保。";
        await citizen.PostJson($"/public/intake/{code}/petitions", Petition(content), HttpStatusCode.Created);
        await (await citizen.PostAsJsonAsync($"/public/intake/{code}/petitions", Petition("  村里低保评定不公开，\n有村干部亲属违规享受低保。 "))).Problem(HttpStatusCode.Conflict);
        // Concurrent duplicates: the unique index decides, never two rows.
        using var other = Public();
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => other.PostAsJsonAsync($"/public/intake/{code}/petitions", Petition("同一内容并发提交：村道路工程质量差，验收走过场。"))));
        Assert.Equal(1, racing.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(racing.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(2, await s.PetitionRowsAsync());
    }

    [Fact]
    public async Task Hostile_input_is_refused_with_4xx_and_nothing_is_stored()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        var url = $"/public/intake/{code}/petitions";
        var valid = "村集体收入去向不明，账目长期不公开。";
        var attempts = new (string What, HttpContent Body, HttpStatusCode Expected)[]
        {
            ("malformed JSON", Raw("{\"category\":\"Report\",\"content\":"), HttpStatusCode.BadRequest),
            ("not JSON at all", new StringContent("<xml/>", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest),
            ("wrong type for content", Raw("{\"category\":\"Report\",\"subject\":\"标题\",\"content\":12345,\"anonymous\":true}"), HttpStatusCode.BadRequest),
            ("wrong type for anonymous", Raw($"{{\"category\":\"Report\",\"subject\":\"标题\",\"content\":\"{valid}\",\"anonymous\":\"yes\"}}"), HttpStatusCode.BadRequest),
            ("unknown category", JsonContent.Create(Petition(valid, category: "Bribe")), HttpStatusCode.BadRequest),
            ("numeric category out of range", Raw($"{{\"category\":99,\"subject\":\"标题\",\"content\":\"{valid}\",\"anonymous\":true}}"), HttpStatusCode.BadRequest),
            ("missing content", Raw("{\"category\":\"Report\",\"subject\":\"标题\",\"anonymous\":true}"), HttpStatusCode.BadRequest),
            ("too long content", JsonContent.Create(Petition(new string('腐', 5001))), HttpStatusCode.BadRequest),
            ("script in content", JsonContent.Create(Petition("<script>alert(document.cookie)</script>村干部贪污")), HttpStatusCode.BadRequest),
            ("HTML in subject", JsonContent.Create(new { category = "Report", subject = "<img src=x onerror=alert(1)>", content = valid, anonymous = true }), HttpStatusCode.BadRequest),
            ("named without reporter", JsonContent.Create(Petition(valid, anonymous: false)), HttpStatusCode.BadRequest),
            ("bad phone", JsonContent.Create(Petition(valid, anonymous: false, reporter: new { name = "张三", phone = "call me" })), HttpStatusCode.BadRequest),
            ("attachment not base64", JsonContent.Create(Petition(valid, attachments: [new { fileName = "a.jpg", dataBase64 = "!!!not-base64!!!" }])), HttpStatusCode.BadRequest),
            ("executable attachment", JsonContent.Create(Petition(valid, attachments: [new { fileName = "photo.jpg", dataBase64 = Convert.ToBase64String([0x4D, 0x5A, 0x90, 0x00, 1, 2, 3]) }])), HttpStatusCode.UnsupportedMediaType),
            ("HTML attachment named .png", JsonContent.Create(Petition(valid, attachments: [new { fileName = "x.png", dataBase64 = Convert.ToBase64String("<html><script>alert(1)</script>"u8.ToArray()) }])), HttpStatusCode.UnsupportedMediaType),
            ("oversized attachment", JsonContent.Create(Petition(valid, attachments: [new { fileName = "big.pdf", dataBase64 = Convert.ToBase64String([.. "%PDF-"u8.ToArray(), .. new byte[70_000]]) }])), HttpStatusCode.RequestEntityTooLarge),
            ("too many attachments", JsonContent.Create(Petition(valid, attachments: [.. Enumerable.Range(0, 4).Select(_ => new { fileName = "a.png", dataBase64 = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1]) })])), HttpStatusCode.BadRequest),
            ("huge body", JsonContent.Create(Petition(valid, attachments: [new { fileName = "a.pdf", dataBase64 = new string('A', 11 * 1024 * 1024) }])), HttpStatusCode.RequestEntityTooLarge),
            ("deeply nested JSON", Raw(new string('[', 5000) + new string(']', 5000)), HttpStatusCode.BadRequest),
        };
        using var citizen = host.Anonymous();
        var address = 0;
        foreach (var (what, body, expected) in attempts)
        {
            // A fresh address per attempt: this test is about validation, not the flood limit.
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{++address}");
            var response = await citizen.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("<script>", text);
        }
        Assert.Equal(0, await s.PetitionRowsAsync());
        await (await citizen.PostAsJsonAsync("/public/intake/NOPE/petitions", Petition(valid))).Problem(HttpStatusCode.NotFound);
        await (await citizen.PostAsJsonAsync("/public/intake/ABCDEFGHJKLM/petitions", Petition(valid))).Problem(HttpStatusCode.NotFound);
    }

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_flooding_address_gets_429_while_others_are_served()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        using var flooder = Public();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            flooder.PostAsJsonAsync($"/public/intake/{code}/petitions", Petition($"第{i}条：村里修路款项被挪用，工程至今未完工。"))));
        Assert.Equal(FieldworkHost.SubmissionsPerWindow, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var limited = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.All(limited, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.True(limited[0].Headers.RetryAfter is not null);
        await limited[0].Problem(HttpStatusCode.TooManyRequests);

        using var neighbour = Public();
        await neighbour.PostJson($"/public/intake/{code}/petitions", Petition("另一位群众反映：村集体经济合作社账目混乱。"), HttpStatusCode.Created);
        Assert.Equal(FieldworkHost.SubmissionsPerWindow + 1, await s.PetitionRowsAsync());
    }

    [Fact]
    public async Task Intake_closes_on_the_announced_date()
    {
        var s = await new Scenario(host).OpenAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var code = await s.AnnounceAsync(closesOn: today.AddDays(2));
        using var citizen = Public();
        Assert.True((await citizen.GetJson($"/public/intake/{code}")).GetProperty("open").GetBoolean());
        await citizen.PostJson($"/public/intake/{code}/petitions", Petition("截止前提交：村卫生室药品采购价格偏高。"), HttpStatusCode.Created);
        host.Clock.Advance(TimeSpan.FromDays(3));
        try
        {
            Assert.False((await citizen.GetJson($"/public/intake/{code}")).GetProperty("open").GetBoolean());
            var closed = await (await citizen.PostAsJsonAsync($"/public/intake/{code}/petitions", Petition("截止后提交：村里垃圾清运费收取不规范。"))).Problem(HttpStatusCode.UnprocessableEntity);
            Assert.Equal("intake-period", closed.Str("rule"));
            var page = await citizen.GetStringAsync($"/public/intake/{code}/form");
            Assert.Contains("受理期已结束", page);
        }
        finally
        {
            host.Clock.Reset();
        }
        Assert.Equal(1, await s.PetitionRowsAsync());
    }

    [Fact]
    public async Task Attachments_are_kept_as_inert_bytes_and_downloaded_only_by_the_group()
    {
        var s = await new Scenario(host).OpenAsync();
        var code = await s.AnnounceAsync();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3, 4];
        using var citizen = Public();
        await citizen.PostJson($"/public/intake/{code}/petitions",
            Petition("附件为村务公开栏照片，公开内容与实际不符。", attachments: [new { fileName = "../../etc/<公开栏>.png", dataBase64 = Convert.ToBase64String(png) }]), HttpStatusCode.Created);
        using var member = s.As(s.MemberA);
        var petition = (await member.GetJson($"{s.Ws}/petitions")).EnumerateArray().Single();
        var attachment = petition.GetProperty("attachments").EnumerateArray().Single();
        Assert.Equal("image/png", attachment.Str("contentType"));
        Assert.Equal("公开栏.png", attachment.Str("fileName"));
        var download = await member.GetAsync($"{s.Ws}/petitions/{petition.Str("id")}/attachments/{attachment.Str("id")}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        using var outsider = host.As("someone-else");
        await (await outsider.GetAsync($"{s.Ws}/petitions/{petition.Str("id")}/attachments/{attachment.Str("id")}")).Problem(HttpStatusCode.NotFound);
    }
}
