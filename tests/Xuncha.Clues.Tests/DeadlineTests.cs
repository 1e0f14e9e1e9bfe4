using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Clues.Deadlines;
using Xuncha.Clues.Tests.Infrastructure;

namespace Xuncha.Clues.Tests;

/// <summary>Feedback is due three months after transfer; the sweep flags and reminds, once per interval, whichever replica runs it.</summary>
[Collection(Servers.Name)]
public sealed class DeadlineTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly CluesHost host = fixture.Host;

    [Fact]
    public async Task Overdue_feedback_is_flagged_reminded_and_listed()
    {
        var officer = host.ClueOfficer();
        var waiting = await Api.TransferredAsync(officer, "何某某");
        var concluded = await Api.TransferredAsync(officer, "吕某某");
        var commission = host.CaseOfficer();
        await (await commission.PostAsJsonAsync($"/commission/clues/{concluded}/reports", Api.Report("示纪案〔2026〕201号", "received"))).Json(HttpStatusCode.OK);
        await (await commission.PostAsJsonAsync($"/commission/clues/{concluded}/reports", Api.Report("示纪案〔2026〕201号", "concluded-without-action"))).Json(HttpStatusCode.OK);
        var due = DateOnly.Parse((await (await officer.GetAsync($"/clues/{waiting}")).Json(HttpStatusCode.OK)).GetProperty("feedbackDueOn").GetString()!);
        var sweep = host.Services.GetRequiredService<DeadlineSweep>();

        Assert.Equal(0, await sweep.SweepAsync(default));
        var before = await (await officer.GetAsync("/clues/overdue")).Json(HttpStatusCode.OK);
        Assert.DoesNotContain(before.EnumerateArray(), c => c.GetProperty("clueId").GetGuid() == waiting);

        host.Clock.Advance(TimeSpan.FromDays(due.DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber + 2));
        // Several replicas sweeping at once: the advisory lock lets one flag each clue once.
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sweep.SweepAsync(default)));
        Assert.Equal(1, counts.Sum());
        Assert.Equal(0, await sweep.SweepAsync(default)); // within the reminder interval: no second reminder yet

        var overdue = await (await officer.GetAsync("/clues/overdue")).Json(HttpStatusCode.OK);
        var row = Assert.Single(overdue.EnumerateArray(), c => c.GetProperty("clueId").GetGuid() == waiting);
        Assert.Equal(1, row.GetProperty("reminders").GetInt32());
        Assert.True(row.GetProperty("daysOverdue").GetInt32() >= 1);
        Assert.DoesNotContain(overdue.EnumerateArray(), c => c.GetProperty("clueId").GetGuid() == concluded);
        Assert.True((await (await officer.GetAsync($"/clues/{waiting}")).Json(HttpStatusCode.OK)).GetProperty("overdue").GetBoolean());
        Assert.Equal(1, await host.AuditCount("clue.feedback-reminder", waiting));

        host.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await sweep.SweepAsync(default));
        Assert.Equal(2, await host.WithDb(db => db.Clues.Where(c => c.Id == waiting).Select(c => c.Reminders).SingleAsync()));
    }
}
