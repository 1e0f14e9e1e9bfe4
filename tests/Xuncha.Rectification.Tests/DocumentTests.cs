using System.Net;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class DocumentTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(DocumentTests), Today);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_notice_and_the_monthly_report_are_Word_documents_in_Chinese_from_the_records()
    {
        var caseId = await host.DeliverFeedbackAsync(2);
        var tasks = await host.ApprovedPlanAsync(caseId, i => Today.AddDays(10 + 60 * i));
        await host.AttachEvidenceAsync(tasks[0]);
        await (await host.RequestClosureAsync(tasks[0])).Json(HttpStatusCode.OK);
        await host.ApproveClosureAsync(tasks[0]);
        using var liaison = host.Liaison();

        var notice = await liaison.GetAsync($"/cases/{caseId}/documents/rectification-notice.docx");
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", notice.Content.Headers.ContentType?.MediaType);
        var text = DocumentText.Of(await notice.Content.ReadAsByteArrayAsync());
        Assert.Contains("巡察整改通知书", text);
        Assert.Contains("问题1：专项资金拨付超过15个工作日", text);
        Assert.Contains("第一责任人", text);

        var report = DocumentText.Of(await liaison.GetByteArrayAsync($"/cases/{caseId}/documents/monthly-report.docx?month=2026-11"));
        Assert.Contains("巡察整改进展月报", report);
        Assert.Contains("（2026年11月）", report);
        Assert.Contains("制定整改任务2项，已销号1项，整改完成率50.0%", report);
        Assert.Contains("短期任务1项，长期任务1项", report);

        await (await liaison.GetAsync($"/cases/{caseId}/documents/monthly-report.docx?month=2026-13")).Json(HttpStatusCode.BadRequest);
        await (await liaison.GetAsync($"/tasks/{tasks[1]}/documents/supervision-order.docx")).Json(HttpStatusCode.NotFound);
        using var stranger = host.Liaison("demo-city-luonan-d06");
        await (await stranger.GetAsync($"/cases/{caseId}/documents/rectification-notice.docx")).Json(HttpStatusCode.NotFound);
    }
}
