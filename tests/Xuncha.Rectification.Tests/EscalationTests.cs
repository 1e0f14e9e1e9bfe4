using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Calendar;
using Xuncha.Testing;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class EscalationTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(EscalationTests), Today);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<EscalationStep>> StepsOf(Guid taskId) =>
        await host.WithDb(db => db.Notices.Where(n => n.TaskId == taskId).OrderBy(n => n.IssuedAt).ThenBy(n => n.Step).Select(n => n.Step).ToListAsync());

    private async Task At(DateOnly day)
    {
        host.Clock.Set(ManualClock.At(day));
        await host.ScanAsync();
    }

    [Fact]
    public async Task The_ladder_climbs_over_simulated_time_one_rung_at_a_time_and_never_twice()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var due = new DateOnly(2026, 12, 14); // a Monday
        var taskId = (await host.ApprovedPlanAsync(caseId, _ => due)).Single();
        var roundId = (await host.GetCase(caseId)).GetProperty("roundId").GetGuid();
        try
        {
            await At(new DateOnly(2026, 12, 4));                  // 6 working days left
            Assert.Equal("None", (await host.TaskAsync(taskId)).GetProperty("level").GetString());
            Assert.Empty(await StepsOf(taskId));

            await At(new DateOnly(2026, 12, 7));                  // 5 working days left: yellow
            Assert.Equal("Yellow", (await host.TaskAsync(taskId)).GetProperty("level").GetString());
            Assert.Equal([EscalationStep.Approaching], await StepsOf(taskId));

            await At(due);                                        // the day itself is not overdue
            Assert.Equal("Yellow", (await host.TaskAsync(taskId)).GetProperty("level").GetString());
            Assert.Equal(0, await host.EventCount<RectificationTaskOverdue>(taskId));

            await At(new DateOnly(2026, 12, 15));                 // 1 working day overdue: red, reminder letter
            Assert.Equal("Red", (await host.TaskAsync(taskId)).GetProperty("level").GetString());
            Assert.Equal([EscalationStep.Approaching, EscalationStep.Overdue, EscalationStep.ReminderLetter], await StepsOf(taskId));
            Assert.Equal(1, await host.EventCount<RectificationTaskOverdue>(taskId));

            await At(new DateOnly(2026, 12, 18));                 // 4 working days: nothing new
            Assert.Equal(3, (await StepsOf(taskId)).Count);

            await At(new DateOnly(2026, 12, 21));                 // 5 working days (the weekend does not count): supervision order
            Assert.Equal(EscalationStep.SupervisionOrder, (await StepsOf(taskId)).Last());
            Assert.Equal(0, await host.EventCount<InterviewRecommended>(roundId));

            await At(new DateOnly(2026, 12, 28));                 // 10 working days: not beyond the limit yet
            Assert.Equal(0, await host.EventCount<InterviewRecommended>(roundId));

            await At(new DateOnly(2026, 12, 29));                 // 11 working days: beyond 10 → 约谈 recommended
            var interview = await host.WithDb(db => db.Interviews.SingleAsync(i => i.CaseId == caseId));
            Assert.Equal(InterviewSituation.OverdueBeyondLimit, interview.Situation);
            Assert.Equal(1, await host.EventCount<InterviewRecommended>(roundId));

            // Scanning again the same day and the following days issues nothing a second time.
            await host.ScanAsync();
            await At(new DateOnly(2026, 12, 30));
            await At(new DateOnly(2027, 1, 4));
            Assert.Equal(4, (await StepsOf(taskId)).Count);
            Assert.Equal(1, await host.EventCount<RectificationTaskOverdue>(taskId));
            Assert.Equal(1, await host.EventCount<InterviewRecommended>(roundId));

            // The supervision order as a document, for the unit too.
            using var liaison = host.Liaison();
            var docx = await liaison.GetAsync($"/tasks/{taskId}/documents/supervision-order.docx");
            Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
            var text = DocumentText.Of(await docx.Content.ReadAsByteArrayAsync());
            Assert.Contains("巡察整改督办单", text);
            Assert.Contains("逾期5个工作日", text);
        }
        finally
        {
            host.Clock.Set(ManualClock.At(Today));
        }
    }

    [Fact]
    public async Task Two_replicas_scanning_together_never_send_the_same_reminder_twice()
    {
        var caseId = await host.DeliverFeedbackAsync(1, unit: "demo-city-luonan-d04");
        const int count = 240;
        await host.WithDb(async db =>
        {
            var problemId = await db.Problems.Where(p => p.CaseId == caseId).Select(p => p.Id).SingleAsync();
            for (var i = 0; i < count; i++)
            {
                db.Tasks.Add(new RectificationTask
                {
                    Id = Guid.CreateVersion7(), CaseId = caseId, ProblemId = problemId, Measures = $"任务{i}", FirstResponsible = "甲", Responsible = "乙", Liaison = "丙",
                    DueOn = Today.AddDays(-20 - i % 7), Term = TaskTerm.ShortTerm, Status = LedgerStatus.InProgress, CreatedAt = host.Clock.GetUtcNow(), StartedAt = host.Clock.GetUtcNow(),
                });
            }
            return await db.SaveChangesAsync();
        });
        await using var second = await RectificationHost.StartAsync(servers.Servers, Today, sharing: host);

        var scans = Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? host : second).ScanAsync()).ToList();
        var results = await Task.WhenAll(scans);

        Assert.Equal(count, results.Sum(r => r.TasksScanned));           // each task looked at exactly once today
        var reminders = await host.WithDb(db => db.Notices.Where(n => n.CaseId == caseId && n.Step == EscalationStep.ReminderLetter).Select(n => n.TaskId).ToListAsync());
        Assert.Equal(count, reminders.Count);
        Assert.Equal(count, reminders.Distinct().Count());
        Assert.Equal(count, await host.WithDb(db => db.Notices.CountAsync(n => n.CaseId == caseId && n.Step == EscalationStep.Overdue)));
        Assert.Equal(count, await host.EventCount<RectificationTaskOverdue>((await host.GetCase(caseId)).GetProperty("roundId").GetGuid()));
        Assert.Equal(1, await host.WithDb(db => db.Interviews.CountAsync(i => i.CaseId == caseId)));
    }

    [Fact]
    public async Task The_background_worker_runs_the_scan_on_its_own()
    {
        await using var worker = await RectificationHost.StartAsync(servers.Servers, Today, new Dictionary<string, string?>
        {
            ["Rectification:Escalation:Enabled"] = "true",
            ["Rectification:Escalation:ScanSeconds"] = "1",
        });
        var caseId = await worker.DeliverFeedbackAsync(1);
        var taskId = (await worker.ApprovedPlanAsync(caseId, _ => Today.AddDays(3))).Single();
        worker.Clock.Set(ManualClock.At(Today.AddDays(14)));
        var steps = await Eventually.Until(
            () => worker.WithDb(db => db.Notices.Where(n => n.TaskId == taskId).Select(n => n.Step).ToListAsync()),
            s => s.Contains(EscalationStep.ReminderLetter), TimeSpan.FromSeconds(20), "the worker to issue the reminder letter");
        Assert.Contains(EscalationStep.Overdue, steps);
    }

    [Fact]
    public void The_ladder_counts_working_days_through_the_shared_calendar()
    {
        var calendar = new WorkingCalendar([new DateOnly(2026, 12, 16)], []);
        var escalation = new RectificationOptions().Escalation;
        var interview = new RectificationOptions().Interview;
        var due = new DateOnly(2026, 12, 14);
        // With Wednesday 16 a holiday, five working days overdue is reached on Tuesday 22, not Monday 21.
        Assert.Equal(4, EscalationLadder.Evaluate(due, new DateOnly(2026, 12, 21), calendar, escalation, interview).OverdueWorkingDays);
        var tuesday = EscalationLadder.Evaluate(due, new DateOnly(2026, 12, 22), calendar, escalation, interview);
        Assert.Equal(5, tuesday.OverdueWorkingDays);
        Assert.Contains(EscalationStep.SupervisionOrder, tuesday.Steps);
        // Overdue over a weekend alone: red, but no reminder letter until a working day has passed.
        var saturday = EscalationLadder.Evaluate(new DateOnly(2026, 12, 18), new DateOnly(2026, 12, 19), calendar, escalation, interview);
        Assert.Equal((EscalationLevel.Red, 0), (saturday.Level, saturday.OverdueWorkingDays));
        Assert.Equal([EscalationStep.Overdue], saturday.Steps);
    }
}
