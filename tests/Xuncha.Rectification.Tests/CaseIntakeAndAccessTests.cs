using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Clues;
using Xuncha.Contracts.Fieldwork;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class CaseIntakeAndAccessTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(CaseIntakeAndAccessTests), Today);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Feedback_opens_one_case_and_a_redelivery_or_a_repeat_adds_nothing()
    {
        var message = RectificationHost.Feedback(3, RectificationHost.Unit, null, 10, host.Clock.GetUtcNow(), Guid.NewGuid());
        var messageId = Guid.NewGuid();
        await host.PublishAsync(message, messageId);
        var caseId = await host.CaseOf(message.RoundId, message.TargetId, 3);
        await host.PublishAsync(message, messageId);        // the broker redelivers: the inbox drops it
        await host.PublishAsync(message);                   // the sender re-sends under a new id: same problems, nothing new
        var marker = RectificationHost.Feedback(1, "demo-city-luonan-d05", null, 10, host.Clock.GetUtcNow(), Guid.NewGuid());
        await host.PublishAsync(marker);
        await host.CaseOf(marker.RoundId, marker.TargetId);

        Assert.Equal(1, await host.WithDb(db => db.Cases.CountAsync(c => c.RoundId == message.RoundId)));
        Assert.Equal(3, await host.WithDb(db => db.Problems.CountAsync(p => p.CaseId == caseId)));
        var view = await host.GetCase(caseId);
        Assert.Equal("洛南县财政局", view.GetProperty("targetName").GetString());
        Assert.Equal("NotSubmitted", view.GetProperty("planStatus").GetString());
    }

    [Fact]
    public async Task Immediate_items_and_returned_clues_join_the_units_case_even_when_they_arrive_first()
    {
        var roundId = Guid.NewGuid();
        var target = RectificationHost.TargetIdOf(RectificationHost.Unit);
        await host.PublishAsync(new ImmediateRectificationRequested
        {
            ItemId = Guid.NewGuid(), RoundId = roundId, TargetId = target, TargetName = "洛南县财政局", Jurisdiction = RectificationHost.County,
            JurisdictionPath = RectificationHost.UnitPath, Problem = "公务接待清单不全", DueOn = Today.AddDays(10), RequestedAt = host.Clock.GetUtcNow(),
        });
        var caseId = await host.CaseOf(roundId, target);
        await host.PublishAsync(RectificationHost.Feedback(2, RectificationHost.Unit, null, 10, host.Clock.GetUtcNow(), roundId));
        await host.PublishAsync(new ClueReturnedAsProblem
        {
            ClueId = Guid.NewGuid(), RoundId = roundId, TargetId = target, TargetName = "洛南县财政局", Jurisdiction = RectificationHost.County,
            JurisdictionPath = RectificationHost.UnitPath, Problem = "下属单位违规发放津补贴", ReturnedAt = host.Clock.GetUtcNow(),
        });
        Assert.Equal(caseId, await host.CaseOf(roundId, target, 4));

        var view = await host.GetCase(caseId);
        var sources = view.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("source").GetString()).Order().ToList();
        Assert.Equal(["Feedback", "Feedback", "ImmediateRectification", "ReturnedClue"], sources);
        var immediate = view.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("source").GetString() == "ImmediateRectification");
        Assert.Equal(Today.AddDays(10).ToString("yyyy-MM-dd"), immediate.GetProperty("dueOn").GetString());
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("planDueOn").ValueKind);
    }

    [Fact]
    public async Task An_inspected_unit_sees_only_its_own_case_and_the_office_sees_its_subtree()
    {
        var own = await host.DeliverFeedbackAsync(1);
        var sibling = await host.DeliverFeedbackAsync(1, unit: "demo-city-luonan-d02");

        async Task<HttpStatusCode> Status(string[] roles, string jurisdiction, Guid id)
        {
            using var client = host.Client(roles, jurisdiction);
            return (await client.GetAsync($"/cases/{id}")).StatusCode;
        }

        // The unit: its own case only, by exact jurisdiction equality.
        Assert.Equal(HttpStatusCode.OK, await Status([PlatformRoles.UnitLiaison], RectificationHost.Unit, own));
        Assert.Equal(HttpStatusCode.OK, await Status([PlatformRoles.UnitResponsible], RectificationHost.Unit, own));
        Assert.Equal(HttpStatusCode.NotFound, await Status([PlatformRoles.UnitLiaison], RectificationHost.Unit, sibling));
        Assert.Equal(HttpStatusCode.NotFound, await Status([PlatformRoles.UnitLiaison], "demo-city-luonan-d02", own));
        // A unit role whose jurisdiction is above the unit does not inherit the subtree.
        Assert.Equal(HttpStatusCode.NotFound, await Status([PlatformRoles.UnitResponsible], RectificationHost.County, own));
        // The office: every case in its subtree, none elsewhere.
        Assert.Equal(HttpStatusCode.OK, await Status([PlatformRoles.RectificationSupervisor], RectificationHost.County, sibling));
        Assert.Equal(HttpStatusCode.OK, await Status([PlatformRoles.LeadingGroup], "demo-city", own));
        Assert.Equal(HttpStatusCode.OK, await Status([PlatformRoles.OfficeCoordinator], RectificationHost.County, own));
        Assert.Equal(HttpStatusCode.NotFound, await Status([PlatformRoles.RectificationSupervisor], "demo-city-danfeng", own));
        // Everyone else: not found, not forbidden.
        Assert.Equal(HttpStatusCode.NotFound, await Status([PlatformRoles.GroupMember], RectificationHost.County, own));
        Assert.Equal(HttpStatusCode.NotFound, await Status([PlatformRoles.ClueOfficer], RectificationHost.County, own));

        using var liaison = host.Liaison();
        var list = await (await liaison.GetAsync("/cases")).Json(HttpStatusCode.OK);
        Assert.All(list.EnumerateArray(), c => Assert.Equal(RectificationHost.Unit, c.GetProperty("unitJurisdiction").GetString()));
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetGuid() == own);
        using var office = host.Supervisor();
        var all = await (await office.GetAsync("/cases")).Json(HttpStatusCode.OK);
        Assert.Contains(all.EnumerateArray(), c => c.GetProperty("id").GetGuid() == sibling);

        // The sibling's liaison cannot write to this unit's case either.
        using var other = host.Liaison("demo-city-luonan-d02");
        var problemId = (await host.GetCase(own)).GetProperty("problems")[0].GetProperty("id").GetGuid();
        var write = await other.PostAsJsonAsync($"/cases/{own}/tasks", new { problemId, measures = "x", firstResponsible = "a", responsible = "b", liaison = "c", dueOn = Today.AddDays(20) });
        await write.Json(HttpStatusCode.NotFound);
        Assert.Equal(0, await host.WithDb(db => db.Tasks.CountAsync(t => t.CaseId == own)));
    }

    [Fact]
    public async Task Without_a_token_nothing_is_served_except_the_public_paths()
    {
        var id = await host.DeliverFeedbackAsync(1);
        using var anonymous = host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/public/disclosures/{id}")).StatusCode);
    }
}
