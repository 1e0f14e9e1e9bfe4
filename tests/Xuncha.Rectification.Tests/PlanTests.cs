using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Contracts.Rectification;
using Xuncha.Testing;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class PlanTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(PlanTests), Today, new Dictionary<string, string?>
    {
        // Tuesday 1 December a holiday, Saturday 5 December a make-up working day (调休).
        ["Calendar:Holidays:0"] = "2026-12-01",
        ["Calendar:WorkingWeekends:0"] = "2026-12-05",
        ["Rectification:PlanDueWorkingDays"] = "3",
    });

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_plan_deadline_counts_working_days_from_the_China_date_of_the_feedback()
    {
        // 23:30 UTC on Thursday is 07:30 on Friday 27 November in China: the count starts from Friday.
        var delivered = new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.Zero);
        var own = await host.DeliverFeedbackAsync(1, planDueDays: 5, deliveredAt: delivered);
        var byDefault = await host.DeliverFeedbackAsync(1, unit: "demo-city-luonan-d03", planDueDays: 0, deliveredAt: delivered);

        var view = await host.GetCase(own);
        Assert.Equal("2026-11-27", view.GetProperty("feedbackOn").GetString());
        // Mon 30 (1), Tue 1 holiday, Wed 2 (2), Thu 3 (3), Fri 4 (4), Sat 5 make-up day (5).
        Assert.Equal("2026-12-05", view.GetProperty("planDueOn").GetString());
        // The office default (3 working days): Mon 30, Wed 2, Thu 3.
        Assert.Equal("2026-12-03", (await host.GetCase(byDefault)).GetProperty("planDueOn").GetString());
    }

    [Fact]
    public async Task A_plan_must_cover_every_problem_then_is_submitted_returned_and_approved()
    {
        var caseId = await host.DeliverFeedbackAsync(2);
        var view = await host.GetCase(caseId);
        var problems = view.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        using var liaison = host.Liaison();
        var shortTask = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/tasks", new
        {
            problemId = problems[0], measures = "逐笔核查拨付凭证", firstResponsible = "张书记", responsible = "李局长", liaison = "王联络员", dueOn = Today.AddDays(20),
        })).Json(HttpStatusCode.Created);
        Assert.Equal("ShortTerm", shortTask.GetProperty("term").GetString());

        var refused = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/submit", new { version = view.GetProperty("version").GetUInt32() }))
            .Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("plan.every-problem-covered", refused.GetProperty("rule").GetString());
        Assert.Equal(0, await host.EventCount<RectificationPlanSubmitted>(caseId));

        var longTask = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/tasks", new
        {
            problemId = problems[1], measures = "建立专项资金管理制度", firstResponsible = "张书记", responsible = "赵副局长", liaison = "王联络员", dueOn = Today.AddMonths(4),
        })).Json(HttpStatusCode.Created);
        Assert.Equal("LongTerm", longTask.GetProperty("term").GetString());

        view = await host.GetCase(caseId);
        var submitted = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/submit", new { version = view.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.OK);
        Assert.False(submitted.GetProperty("planLate").GetBoolean());
        var evt = JsonDocument.Parse((await host.EventPayloads<RectificationPlanSubmitted>(caseId)).Single()).RootElement;
        Assert.Equal(2, evt.GetProperty("taskCount").GetInt32());
        Assert.Equal(caseId, evt.GetProperty("planId").GetGuid());

        // Only the supervisor decides; returning needs comments.
        await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/approve", new { version = submitted.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.Forbidden);
        using var supervisor = host.Supervisor();
        var noComment = await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/plan/return", new { version = submitted.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.BadRequest);
        Assert.True(noComment.GetProperty("errors").TryGetProperty("comments", out _));
        var returned = await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/plan/return", new { version = submitted.GetProperty("version").GetUInt32(), comments = "措施不够具体，请细化到月" }))
            .Json(HttpStatusCode.OK);
        Assert.Equal("Returned", returned.GetProperty("planStatus").GetString());
        Assert.Equal("措施不够具体，请细化到月", (await host.GetCase(caseId, host.Liaison())).GetProperty("planComments").GetString());

        // Revised, resubmitted, approved: drafts become work in progress.
        var taskId = shortTask.GetProperty("id").GetGuid();
        await (await liaison.PutAsJsonAsync($"/tasks/{taskId}", new
        {
            problemId = problems[0], measures = "12月10日前逐笔核查拨付凭证并补拨", firstResponsible = "张书记", responsible = "李局长", liaison = "王联络员",
            dueOn = Today.AddDays(20), version = shortTask.GetProperty("version").GetUInt32(),
        })).Json(HttpStatusCode.OK);
        var again = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/submit", new { version = returned.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.OK);
        await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/plan/approve", new { version = again.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.OK);
        view = await host.GetCase(caseId);
        Assert.Equal("Approved", view.GetProperty("planStatus").GetString());
        Assert.All(view.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("InProgress", t.GetProperty("status").GetString()));
        Assert.Equal(2, await host.EventCount<RectificationPlanSubmitted>(caseId));
        Assert.True(await host.WithDb(db => db.Set<Xuncha.ServiceDefaults.Audit.AuditEntry>().AnyAsync(a => a.Action == "plan.returned" && a.Reason == "措施不够具体，请细化到月")));
    }

    [Fact]
    public async Task A_stale_write_is_a_409_and_changes_nothing()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.DraftTasksAsync(caseId, _ => Today.AddDays(15))).Single();
        var task = await host.TaskAsync(taskId);
        var version = task.GetProperty("version").GetUInt32();
        var problemId = task.GetProperty("problemId").GetGuid();
        using var liaison = host.Liaison();
        object Edit(string measures) => new { problemId, measures, firstResponsible = "张书记", responsible = "李局长", liaison = "王联络员", dueOn = Today.AddDays(15), version };
        await (await liaison.PutAsJsonAsync($"/tasks/{taskId}", Edit("第一次修改"))).Json(HttpStatusCode.OK);
        var stale = await (await liaison.PutAsJsonAsync($"/tasks/{taskId}", Edit("基于旧版本的修改"))).Json(HttpStatusCode.Conflict);
        Assert.Equal(409, stale.GetProperty("status").GetInt32());
        Assert.Equal("第一次修改", (await host.TaskAsync(taskId)).GetProperty("measures").GetString());

        // The case version guards the submission the same way.
        var caseVersion = (await host.GetCase(caseId)).GetProperty("version").GetUInt32();
        await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/submit", new { version = caseVersion + 1 })).Json(HttpStatusCode.Conflict);
        Assert.Equal("NotSubmitted", (await host.GetCase(caseId)).GetProperty("planStatus").GetString());
    }

    [Fact]
    public async Task A_late_plan_is_flagged_and_an_immediate_items_deadline_bounds_its_task()
    {
        var roundId = Guid.NewGuid();
        var target = RectificationHost.TargetIdOf(RectificationHost.Unit);
        await host.PublishAsync(new ImmediateRectificationRequested
        {
            ItemId = Guid.NewGuid(), RoundId = roundId, TargetId = target, TargetName = "洛南县财政局", Jurisdiction = RectificationHost.County,
            JurisdictionPath = RectificationHost.UnitPath, Problem = "公务用车未按规定登记", DueOn = Today.AddDays(5), RequestedAt = host.Clock.GetUtcNow(),
        });
        var caseId = await host.DeliverFeedbackAsync(1, roundId: roundId, planDueDays: 2);
        await host.CaseOf(roundId, target, 2);
        var view = await host.GetCase(caseId);
        var immediate = view.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("source").GetString() == "ImmediateRectification").GetProperty("id").GetGuid();
        using var liaison = host.Liaison();
        var tooLate = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/tasks", new
        {
            problemId = immediate, measures = "补登记", firstResponsible = "张书记", responsible = "李局长", liaison = "王联络员", dueOn = Today.AddDays(6),
        })).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("plan.deadline", tooLate.GetProperty("rule").GetString());

        await host.DraftTasksAsync(caseId, _ => Today.AddDays(5));
        host.Clock.Advance(TimeSpan.FromDays(7));
        var version = (await host.GetCase(caseId)).GetProperty("version").GetUInt32();
        Assert.True((await host.GetCase(caseId)).GetProperty("planOverdue").GetBoolean());
        var submitted = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/submit", new { version })).Json(HttpStatusCode.OK);
        host.Clock.Advance(TimeSpan.FromDays(-7));
        Assert.True(submitted.GetProperty("planLate").GetBoolean());
        var events = await host.EventPayloads<RectificationPlanSubmitted>(caseId);
        Assert.Contains(events, e => JsonDocument.Parse(e).RootElement.GetProperty("late").GetBoolean());
    }
}
