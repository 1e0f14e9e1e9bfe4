using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Planning;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

[Collection(Servers.Name)]
public sealed class RoundLifecycleTests(RoundLifecycleTests.Seeded world) : IClassFixture<RoundLifecycleTests.Seeded>
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        public Guid Term { get; private set; }

        protected override async Task SeedAsync(PlanningHost planning)
        {
            await World.ImportAsync(Host,
            [
                World.Department("tc-a-d01", World.CountyA), World.Department("tc-a-d02", World.CountyA), World.Department("tc-b-d01", World.CountyB),
                World.Township("tc-a-t01", World.CountyA), World.Village("tc-a-t01-v01", "tc-a-t01"), World.Village("tc-a-t01-v02", "tc-a-t01", economic: 5000),
            ]);
            Term = await World.TermAsync(Host);
        }
    }

    private PlanningHost Host => world.Host;
    private Guid Term => world.Term;

    [Fact]
    public async Task A_round_goes_through_every_stage_each_move_audited_with_who_and_why()
    {
        var round = await World.RoundAsync(Host, Term, "2025-03-01", "2025-04-30", [("tc-a-d01", "city-direct")]);
        await World.LaunchAsync(Host, round);
        var office = Host.Coordinator();
        foreach (var to in new[] { "fieldwork", "reporting", "feedback", "rectification", "closed" })
        {
            (await World.MoveAsync(office, round, to, "进入" + to)).Expect(HttpStatusCode.OK);
        }
        var view = (await office.Get($"/rounds/{round}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("closed", view["status"]!.GetValue<string>());

        var history = (await Host.LeadingGroup().Get($"/rounds/{round}/history")).Expect(HttpStatusCode.OK).Json.AsArray();
        var approved = history.Single(h => h!["action"]!.GetValue<string>() == "round.approved")!;
        Assert.Equal("leader-tc", approved["actor"]!.GetValue<string>());
        Assert.Equal("领导小组会议审议通过", approved["reason"]!.GetValue<string>());
        Assert.Equal(["round.created", "round.targets-planned", "round.submitted", "round.approved", "round.launched", "round.fieldwork", "round.reporting", "round.feedback", "round.rectification", "round.closed"],
            history.Select(h => h!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_the_office_submits_and_only_the_leading_group_approves()
    {
        var round = await World.RoundAsync(Host, Term, "2025-05-01", "2025-05-31", [("tc-a-d02", "regular")]);
        (await World.MoveAsync(Host.LeadingGroup(), round, "submitted")).ExpectProblem(HttpStatusCode.Forbidden);
        (await World.MoveAsync(Host.Coordinator(), round, "submitted")).Expect(HttpStatusCode.OK);
        (await World.MoveAsync(Host.Coordinator(), round, "approved")).ExpectProblem(HttpStatusCode.Forbidden);
        (await World.MoveAsync(Host.As(World.City, PlatformRoles.CommissionCaseOfficer), round, "approved")).ExpectProblem(HttpStatusCode.Forbidden);
        // A leading group of another county does not oversee the city's round.
        (await World.MoveAsync(Host.LeadingGroup(World.CountyA), round, "approved")).ExpectProblem(HttpStatusCode.NotFound);
        (await World.MoveAsync(Host.LeadingGroup(), round, "draft", "目标选择需调整")).Expect(HttpStatusCode.OK);
        var history = (await Host.Coordinator().Get($"/rounds/{round}/history")).Json.AsArray();
        Assert.Contains(history, h => h!["action"]!.GetValue<string>() == "round.draft" && h["reason"]!.GetValue<string>() == "目标选择需调整");
    }

    [Fact]
    public async Task Only_allowed_transitions_are_accepted_and_a_reason_is_required()
    {
        var round = await World.RoundAsync(Host, Term, "2025-06-01", "2025-06-30", [("tc-b-d01", "regular")]);
        var skip = (await World.MoveAsync(Host.Coordinator(), round, "launched")).ExpectProblem(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal("transition-not-allowed", skip["rule"]!.GetValue<string>());
        Assert.Equal(["submitted"], skip["allowed"]!.AsArray().Select(a => a!.GetValue<string>()));
        (await Host.Coordinator().Post($"/rounds/{round}/transitions", new { to = "submitted" })).ExpectProblem(HttpStatusCode.BadRequest);
        (await Host.Coordinator().Post($"/rounds/{round}/transitions", new { to = "finished", reason = "x" })).ExpectProblem(HttpStatusCode.BadRequest);
        var empty = await World.RoundAsync(Host, Term, "2025-07-01", "2025-07-30", []);
        Assert.Equal("round-has-no-targets", (await World.MoveAsync(Host.Coordinator(), empty, "submitted")).ExpectProblem(HttpStatusCode.UnprocessableEntity).Json["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_launched_round_is_no_longer_edited_and_a_stale_edit_is_a_conflict()
    {
        var round = await World.RoundAsync(Host, Term, "2025-08-01", "2025-08-31", [("tc-a-t01", "regular")]);
        var view = (await Host.Coordinator().Get($"/rounds/{round}")).Json;
        var version = view["version"]!.GetValue<uint>();
        (await Host.Coordinator().Put($"/rounds/{round}", new { name = "第一轮", startsOn = "2025-08-01", endsOn = "2025-08-20", groupsNeeded = 3, version })).Expect(HttpStatusCode.OK);
        (await Host.Coordinator().Put($"/rounds/{round}", new { name = "第一轮（旧）", startsOn = "2025-08-01", endsOn = "2025-08-20", groupsNeeded = 3, version })).ExpectProblem(HttpStatusCode.Conflict);
        await World.LaunchAsync(Host, round);
        var now = (await Host.Coordinator().Get($"/rounds/{round}")).Json["version"]!.GetValue<uint>();
        Assert.Equal("round-not-draft", (await Host.Coordinator().Put($"/rounds/{round}", new { name = "改", startsOn = "2025-08-01", endsOn = "2025-08-20", groupsNeeded = 3, version = now }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json["rule"]!.GetValue<string>());
        Assert.Equal("round-not-draft", (await Host.Coordinator().Post($"/rounds/{round}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-a-d02"), mode = "regular" } } }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Launch_and_close_publish_their_events_through_the_outbox()
    {
        var round = await World.RoundAsync(Host, Term, "2025-10-01", "2025-10-31", [("tc-a-t01", "township-with-villages")]);
        Assert.Equal("target-plan", (await Host.Coordinator().Post($"/rounds/{round}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-b-d01"), mode = "cross" } } }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json["rule"]!.GetValue<string>());
        (await Host.Coordinator().Post($"/rounds/{round}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-b-d01"), mode = "cross", staffSourceJurisdictions = new[] { World.CountyA } } } }))
            .Expect(HttpStatusCode.OK);
        var launched = (await World.LaunchAsync(Host, round)).Json;
        Assert.Equal(1, launched["standardsVersion"]!.GetValue<int>());
        var committed = (await Host.WithDb(db => db.Set<OutboxMessage>().ToListAsync())).Where(m => m.MessageType.Contains(nameof(RoundLaunched)) && m.Payload.Contains(round.ToString())).ToList();
        var row = Assert.Single(committed);
        var evt = JsonSerializer.Deserialize<RoundLaunched>(row.Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(round, evt.RoundId);
        Assert.Equal(1, evt.StandardsVersion);
        Assert.Equal(2, evt.GroupsNeeded);
        var township = evt.Targets.Single(t => t.Code == "tc-a-t01");
        Assert.Equal("township-with-villages", township.Mode);
        Assert.Equal(World.CountyA, township.ParentCode);
        Assert.Equal([World.City, World.CountyA, "tc-a-t01"], township.JurisdictionPath);
        // The non-key village goes with its township; the large one (经济体量 5,000万元) is key and stays out.
        var village = evt.Targets.Single(t => t.Code == "tc-a-t01-v01");
        Assert.Equal(township.TargetId, village.ClusterTargetId);
        Assert.Equal("tc-a-t01", village.ParentCode);
        Assert.Equal(World.CountyA, village.County);
        Assert.DoesNotContain(evt.Targets, t => t.Code == "tc-a-t01-v02");
        var cross = evt.Targets.Single(t => t.Code == "tc-b-d01");
        Assert.Equal([World.CountyA], cross.StaffSourceJurisdictions);
        Assert.Equal(World.CountyB, cross.County);

        foreach (var to in new[] { "fieldwork", "reporting", "feedback", "rectification", "closed" }) (await World.MoveAsync(Host.Coordinator(), round, to)).Expect(HttpStatusCode.OK);
        await Eventually.Until(() => Host.WithDb(db => db.Set<OutboxMessage>().Where(m => m.SentAt == null).CountAsync()), n => n == 0,
            TimeSpan.FromSeconds(20), "the relay to publish every event");
        var closed = (await Host.WithDb(db => db.Set<OutboxMessage>().ToListAsync())).Single(m => m.MessageType.Contains(nameof(RoundClosed)) && m.Payload.Contains(round.ToString()));
        Assert.Contains(round.ToString(), closed.Payload);
        Assert.NotNull(closed.SentAt);
        Assert.True(await Host.WithDb(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "round.launched" && a.EntityId == round.ToString() && a.Reason == "召开动员部署会")));
    }
}
