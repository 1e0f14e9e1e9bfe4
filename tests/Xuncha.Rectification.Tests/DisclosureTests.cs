using System.Net;
using System.Net.Http.Json;
using Xuncha.Rectification.Cases;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class DisclosureTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(DisclosureTests), Today);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_public_version_omits_every_excluded_item_and_every_name()
    {
        var exclusions = Enum.GetValues<DisclosureExclusion>();
        var caseId = await host.DeliverFeedbackAsync(exclusions.Length + 2);
        var taskIds = await host.ApprovedPlanAsync(caseId, _ => Today.AddDays(20));
        var view = await host.GetCase(caseId);
        var problems = view.GetProperty("problems").EnumerateArray().Select(p => (Id: p.GetProperty("id").GetGuid(), Title: p.GetProperty("title").GetString()!, Facts: p.GetProperty("facts").GetString()!)).ToList();
        var tasks = view.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("problemId").GetGuid(), t => t.GetProperty("measures").GetString()!);

        // One problem per exclusion, one with all of them, one clean.
        var items = problems.Select((p, i) => new
        {
            problemId = p.Id,
            exclusions = i < exclusions.Length ? [exclusions[i]] : i == exclusions.Length ? exclusions : Array.Empty<DisclosureExclusion>(),
        }).ToList();
        var clean = problems[^1];

        using var supervisor = host.Supervisor();
        using var anonymous = host.Anonymous();
        await (await anonymous.GetAsync($"/public/disclosures/{caseId}")).Json(HttpStatusCode.NotFound);
        var early = await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/disclosure/publish", new { version = view.GetProperty("version").GetUInt32() }))
            .Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("disclosure.checklist-complete", early.GetProperty("rule").GetString());

        var checklist = await (await supervisor.PutAsJsonAsync($"/cases/{caseId}/disclosure/checklist", new { version = view.GetProperty("version").GetUInt32(), items, reason = "按公开排除清单逐项审核" }))
            .Json(HttpStatusCode.OK);
        await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/disclosure/publish", new { version = checklist.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.OK);

        var published = await (await anonymous.GetAsync($"/public/disclosures/{caseId}")).Json(HttpStatusCode.OK);
        var text = published.GetRawText();
        Assert.Equal(1, published.GetProperty("disclosed").GetInt32());
        Assert.Equal(clean.Title, published.GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Contains(tasks[clean.Id], text);
        foreach (var excluded in problems.Take(problems.Count - 1))
        {
            Assert.DoesNotContain(excluded.Title, text);
            Assert.DoesNotContain(tasks[excluded.Id], text);
        }
        // No facts and no responsible persons in the public version.
        Assert.DoesNotContain(clean.Facts, text);
        foreach (var name in new[] { "张书记", "李局长", "王联络员" }) Assert.DoesNotContain(name, text);

        // The internal version keeps everything, marked.
        var internalView = await (await supervisor.GetAsync($"/cases/{caseId}/disclosure")).Json(HttpStatusCode.OK);
        Assert.Equal(problems.Count, internalView.GetProperty("items").GetArrayLength());
        Assert.Equal(1, internalView.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("public").GetBoolean()));

        // A problem arriving later is left out until it is reviewed.
        await host.PublishAsync(new Xuncha.Contracts.Clues.ClueReturnedAsProblem
        {
            ClueId = Guid.NewGuid(), RoundId = view.GetProperty("roundId").GetGuid(), TargetId = view.GetProperty("targetId").GetGuid(), TargetName = "洛南县财政局",
            Jurisdiction = RectificationHost.County, JurisdictionPath = RectificationHost.UnitPath, Problem = "尚未审核的退回线索问题", ReturnedAt = host.Clock.GetUtcNow(),
        });
        await host.CaseOf(view.GetProperty("roundId").GetGuid(), view.GetProperty("targetId").GetGuid(), problems.Count + 1);
        Assert.DoesNotContain("尚未审核的退回线索问题", (await (await anonymous.GetAsync($"/public/disclosures/{caseId}")).Json(HttpStatusCode.OK)).GetRawText());
        Assert.NotEmpty(taskIds);
    }

    [Fact]
    public async Task A_stale_checklist_is_a_409_and_the_unit_cannot_edit_it()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        var view = await host.GetCase(caseId);
        var problemId = view.GetProperty("problems")[0].GetProperty("id").GetGuid();
        var version = view.GetProperty("version").GetUInt32();
        using var supervisor = host.Supervisor();
        await (await supervisor.PutAsJsonAsync($"/cases/{caseId}/disclosure/checklist", new { version, items = new[] { new { problemId, exclusions = new[] { "Sensitive" } } }, reason = "涉及敏感事项" })).Json(HttpStatusCode.OK);
        await (await supervisor.PutAsJsonAsync($"/cases/{caseId}/disclosure/checklist", new { version, items = new[] { new { problemId, exclusions = Array.Empty<string>() } }, reason = "可以公开" })).Json(HttpStatusCode.Conflict);
        using var liaison = host.Liaison();
        await (await liaison.PutAsJsonAsync($"/cases/{caseId}/disclosure/checklist", new { version, items = new[] { new { problemId, exclusions = Array.Empty<string>() } }, reason = "可以公开" })).Json(HttpStatusCode.Forbidden);
        var internalView = await (await supervisor.GetAsync($"/cases/{caseId}/disclosure")).Json(HttpStatusCode.OK);
        Assert.False(internalView.GetProperty("items")[0].GetProperty("public").GetBoolean());
    }
}
