using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Fieldwork.Tests;

/// <summary>问题底稿: the 五见两清 gate, the three-step sign-off with returns, and the dispositions' events through the outbox.</summary>
[Collection(Servers.Name)]
public sealed class WorkingPaperTests(FieldworkHost host) : IClassFixture<FieldworkHost>
{
    [Fact]
    public async Task A_paper_missing_elements_of_five_shows_two_clears_is_refused_with_the_list()
    {
        var s = await new Scenario(host).OpenAsync();
        var id = await s.DraftAsync(new { title = "惠农补贴发放不规范", source = "Petition", facts = "部分农户未按时领取补贴。", nature = "违反惠农政策" });
        using var drafter = s.As(s.MemberA);
        var problem = await (await drafter.PostAsync($"{s.Ws}/papers/{id}/submit", null)).Problem(HttpStatusCode.UnprocessableEntity);
        var missing = problem.GetProperty("missing").EnumerateArray().Select(x => x.GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "occurredPeriod", "figures", "causes", "degree", "impact", "policyBasis" }, missing);
        Assert.Equal(missing, problem.GetProperty("errors").EnumerateObject().Select(p => (string?)p.Name).ToHashSet());
        Assert.Contains("见时间", problem.Str("detail"));
        Assert.Equal("Draft", (await drafter.GetJson($"{s.Ws}/papers/{id}")).Str("status"));

        // An amount alone satisfies 见数字; the rest still have to be written.
        var edited = await (await drafter.PutAsJsonAsync($"{s.Ws}/papers/{id}", Scenario.CompletePaper("惠农补贴发放不规范"))).Json(HttpStatusCode.OK);
        Assert.Equal("AwaitingDeputy", (await drafter.PostJson($"{s.Ws}/papers/{id}/submit", new { }, HttpStatusCode.OK)).Str("status"));
        Assert.Equal(1, edited.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Sign_off_goes_drafter_then_deputy_then_leader_with_return_for_revision()
    {
        var s = await new Scenario(host).OpenAsync();
        var id = await s.DraftAsync();
        var url = $"{s.Ws}/papers/{id}";
        using var drafter = s.As(s.MemberA);
        using var other = s.As(s.MemberB);
        using var deputy = s.As(s.Deputy);
        using var leader = s.As(s.Leader);

        await (await other.PostAsync($"{url}/submit", null)).Problem(HttpStatusCode.Forbidden);
        await (await deputy.PostAsJsonAsync($"{url}/approve", new { })).Problem(HttpStatusCode.Conflict); // nothing pending yet
        await drafter.PostJson($"{url}/submit", new { }, HttpStatusCode.OK);
        await (await drafter.PutAsJsonAsync(url, Scenario.CompletePaper())).Problem(HttpStatusCode.Conflict); // no edits in review
        await (await leader.PostAsJsonAsync($"{url}/approve", new { })).Problem(HttpStatusCode.Forbidden); // the deputy's step first
        await (await other.PostAsJsonAsync($"{url}/approve", new { })).Problem(HttpStatusCode.Forbidden);

        var returned = await deputy.PostJson($"{url}/return", new { reason = "原因分析不够深入，请补充。" }, HttpStatusCode.OK);
        Assert.Equal("Draft", returned.Str("status"));
        Assert.Equal(1, returned.GetProperty("returnCount").GetInt32());
        await (await deputy.PostAsJsonAsync($"{url}/return", new { reason = "" })).Problem(HttpStatusCode.BadRequest);

        await drafter.PostJson($"{url}/submit", new { }, HttpStatusCode.OK);
        Assert.Equal("AwaitingLeader", (await deputy.PostJson($"{url}/approve", new { comment = "同意报组长" }, HttpStatusCode.OK)).Str("status"));
        await (await deputy.PostAsJsonAsync($"{url}/approve", new { })).Problem(HttpStatusCode.Forbidden);
        var signed = await leader.PostJson($"{url}/approve", new { comment = "同意" }, HttpStatusCode.OK);
        Assert.Equal("Signed", signed.Str("status"));
        Assert.Equal(["起草", "副组长审核", "起草", "副组长审核", "组长签批"], signed.GetProperty("signOffs").EnumerateArray().Select(x => x.Str("step")));
        await (await leader.PostAsJsonAsync($"{url}/approve", new { })).Problem(HttpStatusCode.Conflict);
        Assert.Equal(5, await host.WithDb(db => db.Set<AuditEntry>().CountAsync(a => a.EntityId == id.ToString() && (a.Action == "paper.submitted" || a.Action == "paper.approved" || a.Action == "paper.returned"))));

        var doc = await leader.GetAsync($"{url}/document.docx");
        var text = Docx.Text(await doc.Content.ReadAsByteArrayAsync());
        Assert.Contains("巡察问题底稿", text);
        Assert.Contains("审核签批", text);
        Assert.Contains("副组长李", text);
        Assert.Contains("组长王", text);
    }

    [Fact]
    public async Task Nobody_signs_their_own_paper_and_stale_edits_conflict()
    {
        var s = await new Scenario(host).OpenAsync();
        var id = await s.DraftAsync(drafter: s.Deputy);
        using var deputy = s.As(s.Deputy);
        var draft = await deputy.GetJson($"{s.Ws}/papers/{id}");
        var version = draft.GetProperty("version").GetUInt32();
        await (await deputy.PutAsJsonAsync($"{s.Ws}/papers/{id}", Merge(Scenario.CompletePaper("第一次修改"), version))).Json(HttpStatusCode.OK);
        await (await deputy.PutAsJsonAsync($"{s.Ws}/papers/{id}", Merge(Scenario.CompletePaper("过期版本的修改"), version))).Problem(HttpStatusCode.Conflict);
        await deputy.PostJson($"{s.Ws}/papers/{id}/submit", new { }, HttpStatusCode.OK);
        var refused = await (await deputy.PostAsJsonAsync($"{s.Ws}/papers/{id}/approve", new { })).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("four-eyes", refused.Str("rule"));
    }

    [Fact]
    public async Task Malformed_paper_input_is_a_400_naming_the_field_and_writes_nothing()
    {
        var s = await new Scenario(host).OpenAsync();
        using var member = s.As(s.MemberA);
        var url = $"{s.Ws}/papers";
        var bad = new (string What, HttpContent Body, string Field)[]
        {
            ("unknown source", JsonContent.Create(new { title = "标题标题", source = "Rumour" }), "source"),
            ("missing title", JsonContent.Create(new { source = "Interview" }), "title"),
            ("title too long", JsonContent.Create(new { title = new string('问', 201), source = "Interview" }), "title"),
            ("amount as text", new StringContent("{\"title\":\"标题标题\",\"source\":\"Interview\",\"amount\":\"很多\"}", System.Text.Encoding.UTF8, "application/json"), "amount"),
            ("negative amount", JsonContent.Create(new { title = "标题标题", source = "Interview", amount = -5 }), "amount"),
            ("evidence not a list", new StringContent("{\"title\":\"标题标题\",\"source\":\"Interview\",\"evidence\":\"x\"}", System.Text.Encoding.UTF8, "application/json"), "evidence"),
        };
        foreach (var (what, body, field) in bad)
        {
            var problem = await (await member.PostAsync(url, body)).Problem(HttpStatusCode.BadRequest);
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)),
                $"{what}: {problem}");
        }
        await (await member.PostAsync($"{s.Ws}/papers/not-a-guid/submit", null)).Problem(HttpStatusCode.NotFound);
        await (await member.PostAsync($"{s.Ws}/papers/{Guid.NewGuid()}/submit", null)).Problem(HttpStatusCode.NotFound);
        Assert.Equal(0, await host.WithDb(db => db.Papers.CountAsync(p => p.WorkspaceId == s.WorkspaceId)));
    }

    private static Dictionary<string, object?> Merge(object paper, uint version)
    {
        var d = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(paper))!;
        d["version"] = version;
        return d;
    }

    [Fact]
    public async Task An_ordinary_finding_is_recorded_through_the_outbox()
    {
        var s = await new Scenario(host).OpenAsync();
        var id = await s.SignedPaperAsync();
        using var member = s.As(s.MemberA);
        await (await member.PostAsJsonAsync($"{s.Ws}/papers/{id}/disposition", new { kind = "Ordinary" })).Problem(HttpStatusCode.Forbidden);
        var unsigned = await s.DraftAsync();
        using var leader = s.As(s.Leader);
        await (await leader.PostAsJsonAsync($"{s.Ws}/papers/{unsigned}/disposition", new { kind = "Ordinary" })).Problem(HttpStatusCode.Conflict);

        await s.DisposeAsync(id, "Ordinary");
        await (await leader.PostAsJsonAsync($"{s.Ws}/papers/{id}/disposition", new { kind = "Clue" })).Problem(HttpStatusCode.Conflict);
        var finding = (await host.OutboxAsync("FindingRecorded")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        Assert.Equal("ordinary", finding.Str("disposition"));
        Assert.Equal("村集体资产出租未履行“三议两公开”程序", finding.Str("title"));
        Assert.Equal(s.TargetId, finding.GetProperty("targetId").GetGuid());
        Assert.Equal(Scenario.County, finding.Str("jurisdiction"));
        // The relay really publishes it.
        await Eventually.Until(() => host.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null && m.MessageType.Contains("FindingRecorded"))),
            n => n == 0, TimeSpan.FromSeconds(15), "the outbox relay to publish");
    }

    [Fact]
    public async Task Immediate_rectification_publishes_the_request_and_issues_a_notice()
    {
        var s = await new Scenario(host).OpenAsync();
        var id = await s.SignedPaperAsync();
        using var leader = s.As(s.Leader);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await (await leader.PostAsJsonAsync($"{s.Ws}/papers/{id}/disposition", new { kind = "ImmediateRectification", dueOn = today })).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Null((await leader.GetJson($"{s.Ws}/papers/{id}")).GetProperty("disposition").GetString());
        await s.DisposeAsync(id, "ImmediateRectification", today.AddDays(7));

        var request = (await host.OutboxAsync("ImmediateRectificationRequested")).Single(e => e.GetProperty("targetId").GetGuid() == s.TargetId);
        Assert.Equal(today.AddDays(7).ToString("yyyy-MM-dd"), request.Str("dueOn"));
        Assert.Equal("石门镇东沟村", request.Str("targetName"));
        Assert.Equal(["demo-city", Scenario.County, Scenario.Township, Scenario.Village], request.GetProperty("jurisdictionPath").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains("三议两公开", request.Str("problem"));
        var finding = (await host.OutboxAsync("FindingRecorded")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        Assert.Equal("immediate-rectification", finding.Str("disposition"));

        var item = (await leader.GetJson($"{s.Ws}/immediate-items")).EnumerateArray().Single();
        var notice = await leader.GetAsync($"{s.Ws}/immediate-items/{item.Str("id")}/notice.docx");
        var text = Docx.Text(await notice.Content.ReadAsByteArrayAsync());
        Assert.Contains("立行立改通知书", text);
        Assert.Contains("石门镇东沟村", text);
    }

    [Fact]
    public async Task A_clue_goes_to_the_clue_registry_and_its_details_leave_fieldwork()
    {
        var s = await new Scenario(host).OpenAsync();
        var noPersons = await s.SignedPaperAsync();
        using var leader = s.As(s.Leader);
        var refused = await (await leader.PostAsJsonAsync($"{s.Ws}/papers/{noPersons}/disposition", new { kind = "Clue" })).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.True(refused.GetProperty("errors").TryGetProperty("involvedPersons", out _));

        var id = await s.SignedPaperAsync(Scenario.CompletePaper("村支书刘某某涉嫌侵占集体租金", ["刘某某"]));
        await s.DisposeAsync(id, "Clue");
        var clue = (await host.OutboxAsync("ClueRaised")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        Assert.Equal(["刘某某"], clue.GetProperty("involvedPersons").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains("集体鱼塘", clue.Str("allegation"));
        Assert.Equal("document-review", clue.Str("source"));
        Assert.Equal(["租赁合同复印件", "村务公开栏照片"], clue.GetProperty("evidenceReferences").EnumerateArray().Select(x => x.GetString()));
        var finding = (await host.OutboxAsync("FindingRecorded")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        Assert.Equal("clue", finding.Str("disposition"));
        Assert.DoesNotContain("刘某某", finding.GetRawText());

        foreach (var member in new[] { s.Leader, s.MemberA, s.MemberB })
        {
            using var client = s.As(member);
            var views = (await client.GetStringAsync($"{s.Ws}/papers/{id}")) + await client.GetStringAsync($"{s.Ws}/papers");
            Assert.DoesNotContain("刘某某", views);
            Assert.DoesNotContain("集体鱼塘", (await client.GetJson($"{s.Ws}/papers/{id}")).GetRawText());
            await (await client.GetAsync($"{s.Ws}/papers/{id}/document.docx")).Problem(HttpStatusCode.NotFound);
        }
        var paper = await host.WithDb(db => db.Papers.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.True(paper.Redacted);
        Assert.Null(paper.Facts);
        Assert.Empty(paper.InvolvedPersons);
        var audit = await host.WithDb(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityId == id.ToString() && a.Action == "paper.disposed").SingleAsync());
        Assert.DoesNotContain("刘某某", audit.After);
    }
}
