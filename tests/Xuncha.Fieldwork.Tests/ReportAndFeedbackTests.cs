using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Tests;

/// <summary>巡察报告 from the signed papers, the office's review, submission, (dual) feedback and the end of fieldwork.</summary>
[Collection(Servers.Name)]
public sealed class ReportAndFeedbackTests(FieldworkHost host) : IClassFixture<FieldworkHost>
{
    private static readonly object ReportBody = new
    {
        overallAssessment = "该村党支部能够贯彻落实上级决策部署，但在集体资产管理、惠民政策落实等方面仍存在薄弱环节。",
        suggestions = "一是规范集体资产管理；二是严格落实“四议两公开”；三是加强对村干部的日常监督。",
    };

    [Fact]
    public async Task The_report_lists_exactly_the_signed_papers_and_goes_through_review_submission_feedback_and_completion()
    {
        var s = await new Scenario(host).OpenAsync();
        var ordinary = await s.SignedPaperAsync(Scenario.CompletePaper("集体资产出租不规范"));
        var immediate = await s.SignedPaperAsync(Scenario.CompletePaper("村务公开不及时"), drafter: s.MemberB);
        var clue = await s.SignedPaperAsync(Scenario.CompletePaper("村会计王某某涉嫌挪用资金", ["王某某"]));
        var undisposed = await s.SignedPaperAsync(Scenario.CompletePaper("低保动态管理不到位"), drafter: s.MemberB);
        await s.DraftAsync(Scenario.CompletePaper("尚在起草的问题"));
        var awaiting = await s.DraftAsync(Scenario.CompletePaper("待审核的问题"));
        using (var a = s.As(s.MemberA)) await a.PostJson($"{s.Ws}/papers/{awaiting}/submit", new { }, HttpStatusCode.OK);
        await s.DisposeAsync(ordinary, "Ordinary");
        await s.DisposeAsync(immediate, "ImmediateRectification", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)));
        await s.DisposeAsync(clue, "Clue");

        using var leader = s.As(s.Leader);
        using var office = s.Office();
        using var member = s.As(s.MemberA);
        await (await member.PutAsJsonAsync($"{s.Ws}/report", ReportBody)).Problem(HttpStatusCode.Forbidden);
        var blocked = await (await leader.PutAsJsonAsync($"{s.Ws}/report", ReportBody)).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("disposition-required", blocked.Str("rule"));
        await s.DisposeAsync(undisposed, "Ordinary");

        var report = await (await leader.PutAsJsonAsync($"{s.Ws}/report", ReportBody)).Json(HttpStatusCode.OK);
        var listed = report.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("paperId").GetGuid()).ToHashSet();
        Assert.Equal(new HashSet<Guid> { ordinary, immediate, undisposed }, listed);
        Assert.Equal(1, report.GetProperty("clueCount").GetInt32());
        Assert.DoesNotContain("王某某", report.GetRawText());

        await (await leader.PostAsync($"{s.Ws}/report/submit", null)).Problem(HttpStatusCode.Conflict); // the office has not approved it
        await leader.PostJson($"{s.Ws}/report/request-review", new { }, HttpStatusCode.OK);
        await (await leader.PostAsJsonAsync($"{s.Ws}/report/review", new { approve = true })).Problem(HttpStatusCode.Forbidden);
        await (await office.PostAsJsonAsync($"{s.Ws}/report/review", new { approve = false })).Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Returned", (await office.PostJson($"{s.Ws}/report/review", new { approve = false, comment = "总体评价需补充党建情况" }, HttpStatusCode.OK)).Str("status"));
        await (await leader.PutAsJsonAsync($"{s.Ws}/report", ReportBody)).Json(HttpStatusCode.OK);
        await leader.PostJson($"{s.Ws}/report/request-review", new { }, HttpStatusCode.OK);
        await office.PostJson($"{s.Ws}/report/review", new { approve = true, comment = "同意报送" }, HttpStatusCode.OK);
        await (await leader.PostAsJsonAsync($"{s.Ws}/feedback", new { })).Problem(HttpStatusCode.Conflict); // before submission
        Assert.Equal("Submitted", (await leader.PostJson($"{s.Ws}/report/submit", new { }, HttpStatusCode.OK)).Str("status"));

        var submitted = (await host.OutboxAsync("ReportSubmitted")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        Assert.Equal(3, submitted.GetProperty("problemCount").GetInt32());
        Assert.Equal(1, submitted.GetProperty("clueCount").GetInt32());
        var doc = Docx.Text(await (await leader.GetAsync($"{s.Ws}/report/document.docx")).Content.ReadAsByteArrayAsync());
        Assert.Contains("总体评价", doc);
        Assert.Contains("集体资产出租不规范", doc);
        Assert.Contains("村务公开不及时（已立行立改）", doc);
        Assert.DoesNotContain("尚在起草的问题", doc);
        Assert.DoesNotContain("待审核的问题", doc);
        Assert.DoesNotContain("王某某", doc);
        Assert.Contains("问题线索1件", doc);

        // 双反馈: a village's feedback goes to the village and its township.
        var feedback = await leader.PostJson($"{s.Ws}/feedback", new { planDueDays = 30 }, HttpStatusCode.OK);
        Assert.Equal(["石门镇东沟村党组织", "石门镇党委"], feedback.GetProperty("recipients").EnumerateArray().Select(x => x.GetString()));
        var delivered = (await host.OutboxAsync("FeedbackDelivered")).Single(e => e.GetProperty("targetId").GetGuid() == s.TargetId);
        Assert.Equal(Scenario.Village, delivered.Str("targetCode"));
        Assert.Equal(["集体资产出租不规范", "低保动态管理不到位"], delivered.GetProperty("problems").EnumerateArray().Select(p => p.Str("title")));
        await (await leader.PostAsJsonAsync($"{s.Ws}/feedback", new { })).Problem(HttpStatusCode.Conflict);

        await (await member.PostAsync($"{s.Ws}/complete", null)).Problem(HttpStatusCode.Forbidden);
        await leader.PostJson($"{s.Ws}/complete", new { }, HttpStatusCode.OK);
        var completed = (await host.OutboxAsync("FieldworkCompleted")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        Assert.Equal(3, completed.GetProperty("problemsFound").GetInt32());
        Assert.Equal(1, completed.GetProperty("cluesRaised").GetInt32());
        var contributions = completed.GetProperty("contributions").EnumerateArray().ToDictionary(c => c.GetProperty("cadreId").GetGuid());
        Assert.Equal(4, contributions.Count);
        Assert.Equal(2, contributions[s.MemberA.CadreId].GetProperty("workingPapersAccepted").GetInt32()); // ordinary + clue
        Assert.Equal(1, contributions[s.MemberA.CadreId].GetProperty("problemsFound").GetInt32());
        Assert.Equal(2, contributions[s.MemberB.CadreId].GetProperty("problemsFound").GetInt32());
        Assert.Equal(0, contributions[s.Leader.CadreId].GetProperty("workingPapersAccepted").GetInt32());
        await (await member.PostAsJsonAsync($"{s.Ws}/papers", Scenario.CompletePaper())).Problem(HttpStatusCode.Conflict);
        Assert.True(await host.WithDb(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "fieldwork.completed" && a.EntityId == s.WorkspaceId.ToString())));
    }

    [Fact]
    public async Task Returned_papers_are_counted_against_their_drafter()
    {
        var s = await new Scenario(host).OpenAsync();
        var id = await s.DraftAsync();
        using var drafter = s.As(s.MemberA);
        using var deputy = s.As(s.Deputy);
        using var leader = s.As(s.Leader);
        await drafter.PostJson($"{s.Ws}/papers/{id}/submit", new { }, HttpStatusCode.OK);
        await deputy.PostJson($"{s.Ws}/papers/{id}/approve", new { }, HttpStatusCode.OK);
        await leader.PostJson($"{s.Ws}/papers/{id}/return", new { reason = "定性依据引用有误" }, HttpStatusCode.OK);
        await drafter.PostJson($"{s.Ws}/papers/{id}/submit", new { }, HttpStatusCode.OK);
        await deputy.PostJson($"{s.Ws}/papers/{id}/approve", new { }, HttpStatusCode.OK);
        await leader.PostJson($"{s.Ws}/papers/{id}/approve", new { }, HttpStatusCode.OK);
        await s.DisposeAsync(id, "Ordinary");
        await (await leader.PutAsJsonAsync($"{s.Ws}/report", ReportBody)).Json(HttpStatusCode.OK);
        await leader.PostJson($"{s.Ws}/report/request-review", new { }, HttpStatusCode.OK);
        using var office = s.Office();
        await office.PostJson($"{s.Ws}/report/review", new { approve = true }, HttpStatusCode.OK);
        await leader.PostJson($"{s.Ws}/report/submit", new { }, HttpStatusCode.OK);
        await (await leader.PostAsync($"{s.Ws}/complete", null)).Problem(HttpStatusCode.Conflict); // feedback first
        await office.PostJson($"{s.Ws}/feedback", new { }, HttpStatusCode.OK);
        await leader.PostJson($"{s.Ws}/complete", new { }, HttpStatusCode.OK);
        var completed = (await host.OutboxAsync("FieldworkCompleted")).Single(e => e.GetProperty("groupId").GetGuid() == s.GroupId);
        var a = completed.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("cadreId").GetGuid() == s.MemberA.CadreId);
        Assert.Equal(1, a.GetProperty("workingPapersReturned").GetInt32());
        Assert.Equal(1, a.GetProperty("workingPapersAccepted").GetInt32());
    }
}
