using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.FollowUps;
using Xuncha.Testing;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class LedgerTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(LedgerTests), Today);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Closure_without_evidence_is_refused_and_with_evidence_and_approval_the_task_closes()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.ApprovedPlanAsync(caseId, _ => Today.AddDays(20))).Single();

        var refused = await (await host.RequestClosureAsync(taskId)).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("closure.evidence-required", refused.GetProperty("rule").GetString());
        Assert.Equal("InProgress", (await host.TaskAsync(taskId)).GetProperty("status").GetString());

        await host.AttachEvidenceAsync(taskId);
        await (await host.RequestClosureAsync(taskId)).Json(HttpStatusCode.OK);
        Assert.Equal(0, await host.EventCount<RectificationTaskClosed>(taskId));
        var closed = await host.ApproveClosureAsync(taskId);
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal(1, await host.EventCount<RectificationTaskClosed>(taskId));

        // 回头看 within one month of closure for a short-term task.
        var followUp = await host.WithDb(db => db.FollowUps.SingleAsync(f => f.TaskId == taskId));
        Assert.Equal(FollowUpKind.ShortTermMonthly, followUp.Kind);
        Assert.Equal(Today.AddMonths(1), followUp.DueOn);

        using var liaison = host.Liaison();
        using var evidence = await liaison.GetAsync($"/tasks/{taskId}/evidence");
        var list = await evidence.Json(HttpStatusCode.OK);
        Assert.Equal("佐证.pdf", list[0].GetProperty("fileName").GetString());
        var bytes = await liaison.GetByteArrayAsync($"/tasks/{taskId}/evidence/{list[0].GetProperty("id").GetGuid()}");
        Assert.Equal("%PDF-1.4 整改佐证"u8.ToArray(), bytes);
    }

    [Fact]
    public async Task A_rejected_closure_reopens_the_task_with_the_supervisors_comments()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.ApprovedPlanAsync(caseId, _ => Today.AddDays(20))).Single();
        await host.AttachEvidenceAsync(taskId);
        await (await host.RequestClosureAsync(taskId)).Json(HttpStatusCode.OK);
        using var supervisor = host.Supervisor();
        var version = (await host.TaskAsync(taskId)).GetProperty("version").GetUInt32();
        var reopened = await (await supervisor.PostAsJsonAsync($"/tasks/{taskId}/closure/reject", new { version, comments = "佐证材料仅有表格，缺少拨付凭证" })).Json(HttpStatusCode.OK);
        Assert.Equal("InProgress", reopened.GetProperty("status").GetString());
        Assert.Equal("佐证材料仅有表格，缺少拨付凭证", reopened.GetProperty("reviewComments").GetString());
        Assert.Equal(0, await host.EventCount<RectificationTaskClosed>(taskId));
        Assert.Equal(0, await host.EventCount<RectificationTaskReopened>(taskId)); // it never counted as closed
        // A reopened task can ask again.
        await (await host.RequestClosureAsync(taskId)).Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task False_rectification_reopens_the_task_and_recommends_an_interview()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.ApprovedPlanAsync(caseId, _ => Today.AddDays(20))).Single();
        await host.AttachEvidenceAsync(taskId);
        await (await host.RequestClosureAsync(taskId)).Json(HttpStatusCode.OK);
        await host.ApproveClosureAsync(taskId);
        using var supervisor = host.Supervisor();
        var version = (await host.TaskAsync(taskId)).GetProperty("version").GetUInt32();
        var marked = await (await supervisor.PostAsJsonAsync($"/tasks/{taskId}/false-rectification", new { version, comments = "实地核查发现资金仍未拨付" })).Json(HttpStatusCode.OK);
        Assert.Equal("InProgress", marked.GetProperty("status").GetString());
        Assert.True(marked.GetProperty("falseRectification").GetBoolean());
        var interview = await host.WithDb(db => db.Interviews.SingleAsync(i => i.CaseId == caseId));
        Assert.Equal(InterviewSituation.FalseRectification, interview.Situation);
        Assert.Equal(1, await host.EventCount<InterviewRecommended>((await host.GetCase(caseId)).GetProperty("roundId").GetGuid()));
        Assert.Equal(0, await host.WithDb(db => db.FollowUps.CountAsync(f => f.TaskId == taskId)));
        var reopened = Assert.Single(await host.EventPayloads<RectificationTaskReopened>(taskId));
        Assert.Equal(RectificationTaskReopened.FalseRectification, System.Text.Json.JsonDocument.Parse(reopened).RootElement.GetProperty("reason").GetString());

        // The interview is recorded with commitments, linked tasks and a follow-up visit.
        var leader = host.Client([Xuncha.ServiceDefaults.Authorization.PlatformRoles.LeadingGroup], RectificationHost.County, "secretary");
        var recorded = await (await leader.PostAsJsonAsync($"/interviews/{interview.Id}/record", new
        {
            version = interview.Version, interviewer = "县委书记", interviewee = "县财政局党组书记",
            heldOn = Today.AddDays(3), commitments = new[] { "一个月内完成资金拨付", "开展举一反三自查" }, taskIds = new[] { taskId }, followUpOn = Today.AddDays(40),
        })).Json(HttpStatusCode.OK);
        Assert.Equal(2, recorded.GetProperty("commitments").GetArrayLength());
        Assert.Equal(1, await host.WithDb(db => db.FollowUps.CountAsync(f => f.InterviewId == interview.Id && f.Kind == FollowUpKind.InterviewCommitments)));
        // The unit sees the interview held with it.
        using var liaison = host.Liaison();
        var seen = await (await liaison.GetAsync($"/cases/{caseId}/interviews")).Json(HttpStatusCode.OK);
        Assert.Equal("县委书记", seen[0].GetProperty("interviewer").GetString());
    }

    [Fact]
    public async Task Long_term_tasks_are_rechecked_quarterly_and_a_rebound_reopens_the_task()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.ApprovedPlanAsync(caseId, _ => Today.AddMonths(5))).Single();
        Assert.Equal("LongTerm", (await host.TaskAsync(taskId)).GetProperty("term").GetString());
        await host.AttachEvidenceAsync(taskId);
        await (await host.RequestClosureAsync(taskId)).Json(HttpStatusCode.OK);
        await host.ApproveClosureAsync(taskId);
        var first = await host.WithDb(db => db.FollowUps.SingleAsync(f => f.TaskId == taskId));
        Assert.Equal((FollowUpKind.LongTermQuarterly, Today.AddMonths(3)), (first.Kind, first.DueOn));

        using var supervisor = host.Supervisor();
        await (await supervisor.PostAsJsonAsync($"/follow-ups/{first.Id}/result", new { version = first.Version, outcome = "Consolidated", findings = "制度执行良好" })).Json(HttpStatusCode.OK);
        var second = await host.WithDb(db => db.FollowUps.SingleAsync(f => f.TaskId == taskId && f.Sequence == 2));
        Assert.Equal(Today.AddMonths(6), second.DueOn);

        await (await supervisor.PostAsJsonAsync($"/follow-ups/{second.Id}/result", new { version = second.Version, outcome = "Rebounded", findings = "又出现超期拨付" })).Json(HttpStatusCode.OK);
        var task = await host.TaskAsync(taskId);
        Assert.Equal("InProgress", task.GetProperty("status").GetString());
        Assert.True(task.GetProperty("rebounded").GetBoolean());
        var reopened = Assert.Single(await host.EventPayloads<RectificationTaskReopened>(taskId));
        Assert.Equal(RectificationTaskReopened.Rebound, System.Text.Json.JsonDocument.Parse(reopened).RootElement.GetProperty("reason").GetString());
        Assert.Equal(InterviewSituation.ReboundAfterClosure, (await host.WithDb(db => db.Interviews.SingleAsync(i => i.CaseId == caseId))).Situation);
        // A result is recorded once.
        await (await supervisor.PostAsJsonAsync($"/follow-ups/{second.Id}/result", new { version = second.Version, outcome = "Consolidated", findings = "x" })).Json(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_task_without_a_weekly_update_is_flagged_until_the_liaison_updates_it()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.ApprovedPlanAsync(caseId, _ => Today.AddMonths(2))).Single();
        Assert.False((await host.TaskAsync(taskId)).GetProperty("updateMissing").GetBoolean());
        host.Clock.Advance(TimeSpan.FromDays(8));
        try
        {
            Assert.True((await host.TaskAsync(taskId)).GetProperty("updateMissing").GetBoolean());
            using var liaison = host.Liaison();
            await (await liaison.PostAsJsonAsync($"/tasks/{taskId}/updates", new { progress = "已核查12笔拨付凭证", percentComplete = 40 })).Json(HttpStatusCode.Created);
            Assert.False((await host.TaskAsync(taskId)).GetProperty("updateMissing").GetBoolean());
            var updates = await (await liaison.GetAsync($"/tasks/{taskId}/updates")).Json(HttpStatusCode.OK);
            Assert.Equal(40, updates[0].GetProperty("percentComplete").GetInt32());
        }
        finally
        {
            host.Clock.Advance(TimeSpan.FromDays(-8));
        }
    }
}
