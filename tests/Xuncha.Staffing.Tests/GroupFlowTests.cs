using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Tests.Infrastructure;
using Xuncha.Testing;
using static Xuncha.Staffing.Tests.Infrastructure.TestData;

namespace Xuncha.Staffing.Tests;

/// <summary>RoundLaunched in, a proposal, the office's adjustments re-checked, confirmation out as GroupFormed / GroupChanged.</summary>
[Collection(Servers.Name)]
public sealed class GroupFlowTests(PlatformServers servers) : IAsyncLifetime
{
    private StaffingHost host = null!;

    public async Task InitializeAsync()
    {
        host = await StaffingHost.StartAsync(servers);
        // Counties 商州, 洛南, 丹凤, 商南 (and part of 山阳): the targets below draw on them.
        await host.AddDemoCadres(600);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static Xuncha.Staffing.Rounds.Round SmallRound()
    {
        var township = Township("demo-city-zhenan-t02");
        return Round([Department("demo-city-luonan-d01", "cross"), Department("demo-city-danfeng-d03"), township, Village(township, 1), Village(township, 2)]);
    }

    [Fact]
    public async Task A_round_is_stored_once_however_often_it_is_delivered()
    {
        var round = SmallRound();
        var messageId = Guid.NewGuid();
        await host.Publish(Launched(round), messageId);
        await host.Publish(Launched(round), messageId);
        await host.Publish(Launched(round));
        await Eventually.Until(() => host.Count(db => db.Set<InboxMessage>()), n => n == 2, TimeSpan.FromSeconds(20), "both distinct messages to be processed");

        Assert.Equal(1, await host.Count(db => db.Rounds));
        var stored = await host.Client.GetAsync($"/rounds/{round.Id}").Expect(HttpStatusCode.OK);
        Assert.Equal(5, stored.GetProperty("targets").GetArrayLength());
        var summary = await host.Client.GetAsync("/rounds").Expect(HttpStatusCode.OK);
        Assert.Equal(3, summary[0].GetProperty("clusters").GetInt32());
    }

    [Fact]
    public async Task Proposal_adjustment_confirmation_and_change()
    {
        var round = await host.Launch(SmallRound());
        var proposal = await host.Propose(round.Id);
        var groups = proposal.GetProperty("groups");
        Assert.Equal(3, groups.GetArrayLength());
        Assert.Contains("目标函数", proposal.GetProperty("objectiveStatement").GetString());
        var pool = await host.Pool();
        var problems = IndependentValidator.Check(round.Targets, round.Number, round.Jurisdiction, round.StartsOn, RoundSetup.Checked(groups), pool);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var township = groups.EnumerateArray().Single(g => g.GetProperty("targetIds").GetArrayLength() == 3);
        Assert.All(township.GetProperty("members").EnumerateArray(), m => Assert.False(string.IsNullOrEmpty(m.GetProperty("why").GetString())));

        var group = groups.EnumerateArray().Single(g => g.GetProperty("targetCodes")[0].GetString() == "demo-city-danfeng-d03");
        var id = group.GetProperty("id").GetGuid();
        var version = group.GetProperty("version").GetUInt32();
        var members = group.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("cadreId").GetGuid()).ToHashSet();
        var allSeated = groups.EnumerateArray().SelectMany(g => g.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("cadreId").GetGuid())).ToHashSet();

        // Without a leader: refused, naming the rule; nothing changes.
        var noLeader = await host.Client.Put($"/groups/{id}/members", new { version, reason = "试调整", members = RoundSetup.Seats(group, m => m.GetProperty("role").GetString() != "leader") })
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("leader", noLeader.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        // Someone who works in the target: refused, naming the avoidance rule.
        var insider = pool.Values.First(c => c.CurrentUnitCode == "demo-city-danfeng-d03" && !c.IsTownshipLevel);
        var refused = await host.Client.Put($"/groups/{id}/members", new { version, reason = "试调整", members = RoundSetup.Seats(group, null, (insider.Id, "member")) })
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("current-unit", refused.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        // Someone already seated in another group of the round: refused as an overlap.
        var elsewhere = allSeated.First(c => !members.Contains(c));
        var overlap = await host.Client.Put($"/groups/{id}/members", new { version, reason = "试调整", members = RoundSetup.Seats(group, null, (elsewhere, "member")) })
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("overlap", overlap.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(members, (await host.WithDb(db => db.Groups.AsNoTracking().SingleAsync(g => g.Id == id))).Members.Select(m => m.CadreId).ToHashSet());

        // An experienced, free cadre from elsewhere the rules allow: accepted.
        var extra = pool.Values.Where(c => !allSeated.Contains(c.Id) && c.RoundsServed >= 2 && !c.IsTownshipLevel && c.Services.Count == 0 && c.Availability.Count == 0
            && c.HomeJurisdiction == "demo-city-shangnan" && c.FormerUnits.Count == 0 && c.Relatives.Count == 0).First();
        var adjusted = await host.Client.Put($"/groups/{id}/members", new { version, reason = "增加一名审计骨干", members = RoundSetup.Seats(group, null, (extra.Id, "member")) })
            .Expect(HttpStatusCode.OK);
        Assert.Equal(members.Count + 1, adjusted.GetProperty("members").GetArrayLength());
        Assert.Equal(0, await host.Count(db => db.Set<OutboxMessage>()));

        // Confirming with the version read before the adjustment is a stale write.
        await host.Client.Post($"/groups/{id}/confirm", new { version }).Expect(HttpStatusCode.Conflict);
        var confirmed = await host.Client.Post($"/groups/{id}/confirm", new { version = adjusted.GetProperty("version").GetUInt32(), reason = "办公室会议通过" }).Expect(HttpStatusCode.OK);
        Assert.Equal(1, confirmed.GetProperty("revision").GetInt32());
        await host.Client.Post($"/groups/{id}/confirm", new { version = confirmed.GetProperty("version").GetUInt32() }).Expect(HttpStatusCode.Conflict);

        var formed = await host.WithDb(db => db.Set<OutboxMessage>().AsNoTracking().SingleAsync());
        Assert.Contains(nameof(GroupFormed), formed.MessageType);
        var formedEvent = JsonSerializer.Deserialize<GroupFormed>(formed.Payload, Http.Json)!;
        Assert.Equal(id, formedEvent.GroupId);
        Assert.Equal(members.Count + 1, formedEvent.Members.Count);
        Assert.Single(formedEvent.Members, m => m.Role == "leader");
        Assert.All(formedEvent.Members, m => Assert.NotEmpty(m.Specialties));
        var served = await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Id == extra.Id));
        Assert.Contains(served.Services, s => s.GroupId == id && s.RoundNumber == round.Number);
        Assert.Equal(members.Count + 1, await host.Count(db => db.Cards.Where(c => c.GroupId == id && !c.Revoked)));

        // A later change publishes GroupChanged with the next version, and undoes the removed member's secondment and card.
        var changed = await host.Client.Put($"/groups/{id}/members", new { version = confirmed.GetProperty("version").GetUInt32(), reason = "因病调整", members = RoundSetup.Seats(confirmed, m => m.GetProperty("cadreId").GetGuid() != extra.Id) })
            .Expect(HttpStatusCode.OK);
        Assert.Equal(2, changed.GetProperty("revision").GetInt32());
        var change = await host.WithDb(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType.Contains(nameof(GroupChanged))).SingleAsync());
        var changeEvent = JsonSerializer.Deserialize<GroupChanged>(change.Payload, Http.Json)!;
        Assert.Equal(2, changeEvent.Version);
        Assert.Equal("因病调整", changeEvent.Reason);
        Assert.DoesNotContain(changeEvent.Members, m => m.CadreId == extra.Id);
        Assert.DoesNotContain((await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Id == extra.Id))).Services, s => s.GroupId == id);
        Assert.True((await host.WithDb(db => db.Cards.AsNoTracking().SingleAsync(c => c.GroupId == id && c.CadreId == extra.Id))).Revoked);

        var actions = await host.WithDb(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityId == id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Equal(["group.adjusted", "group.confirmed", "group.adjusted"], actions);
        await Eventually.Until(() => host.Count(db => db.Set<OutboxMessage>().Where(m => m.SentAt == null)), n => n == 0, TimeSpan.FromSeconds(20), "the relay to publish both events");

        // Proposing again keeps the confirmed group and re-proposes only the others.
        var again = await host.Propose(round.Id);
        Assert.Equal(1, again.GetProperty("confirmedGroupsKept").GetInt32());
        Assert.Equal(2, again.GetProperty("groups").GetArrayLength());

        var why = await host.Client.GetAsync($"/groups/{id}/candidates/{insider.Id}").Expect(HttpStatusCode.OK);
        Assert.Contains(why.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "current-unit");
    }

    [Fact]
    public async Task Infeasible_input_is_a_422_naming_the_rule_for_each_target_and_writes_nothing()
    {
        await host.WithDb(async db =>
        {
            foreach (var c in await db.Cadres.Where(c => c.Grade == LeadershipGrade.Leader).ToListAsync()) c.Grade = LeadershipGrade.Deputy;
            return await db.SaveChangesAsync();
        });
        var round = await host.Launch(SmallRound());
        var problem = await host.Client.Post($"/rounds/{round.Id}/proposal", new { }).Expect(HttpStatusCode.UnprocessableEntity);
        var infeasible = problem.GetProperty("infeasibilities").EnumerateArray().ToList();
        Assert.Equal(3, infeasible.Count);
        Assert.All(infeasible, i => Assert.Equal("leader", i.GetProperty("rule").GetString()));
        Assert.Contains(infeasible, i => i.GetProperty("targetId").GetGuid() == round.Targets[0].TargetId);
        Assert.Equal(0, await host.Count(db => db.Groups));
    }

    [Fact]
    public async Task Forming_groups_is_the_offices_work_within_its_jurisdiction()
    {
        var round = await host.Launch(SmallRound());
        await host.ClientFor([PlatformRoles.OrganisationDepartment]).Post($"/rounds/{round.Id}/proposal", new { }).Expect(HttpStatusCode.Forbidden);
        await host.ClientFor([PlatformRoles.GroupLeader]).GetAsync($"/rounds/{round.Id}/groups").Expect(HttpStatusCode.Forbidden);
        // A county office does not oversee the city's round.
        await host.ClientFor([PlatformRoles.OfficeCoordinator], jurisdiction: Luonan).Post($"/rounds/{round.Id}/proposal", new { }).Expect(HttpStatusCode.NotFound);
        await host.Client.Post($"/rounds/{Guid.NewGuid()}/proposal", new { }).Expect(HttpStatusCode.NotFound);
        Assert.Equal(0, await host.Count(db => db.Groups));
        await host.Propose(round.Id);
        await host.ClientFor([PlatformRoles.OrganisationDepartment]).GetAsync($"/rounds/{round.Id}/groups").Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Adjustment_input_is_validated_before_any_rule()
    {
        var round = await host.Launch(SmallRound());
        var group = (await host.Propose(round.Id)).GetProperty("groups")[0];
        var id = group.GetProperty("id").GetGuid();
        var bad = await host.Client.Put($"/groups/{id}/members", new { members = Array.Empty<object>() }).Expect(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("version", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("members", out _));
        var unknown = await host.Client.Put($"/groups/{id}/members", new { version = 1, reason = "x", members = new[] { new { cadreId = Guid.NewGuid(), role = "leader" } } }).Expect(HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("members[0].cadreId", out _));
        var role = await host.Client.Put($"/groups/{id}/members", new { version = group.GetProperty("version").GetUInt32(), reason = "x", members = RoundSetup.Seats(group, null, (group.GetProperty("members")[0].GetProperty("cadreId").GetGuid(), "boss")) })
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("role", role.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("duplicate-member", role.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_jurisdictions_policy_governs_its_rounds()
    {
        var defaults = await host.Client.GetAsync("/policies/demo-city").Expect(HttpStatusCode.OK);
        Assert.Equal(7, defaults.GetProperty("preferredGroupSize").GetInt32());
        var policy = new Dictionary<string, object?>
        {
            ["formerUnitYears"] = 5, ["maxConsecutiveRounds"] = 2, ["minGroupSize"] = 5, ["maxGroupSize"] = 6, ["preferredGroupSize"] = 6,
            ["minDeputies"] = 1, ["maxDeputies"] = 1, ["crossMinNonLocalShare"] = 0.8, ["crossRequireLocal"] = true, ["experiencedAfterRounds"] = 2,
            ["requiredSpecialties"] = new[] { "discipline", "organisation", "finance", "audit", "agriculture", "civil-affairs" }, ["disabledRules"] = Array.Empty<string>(),
        };
        var invalid = await host.Client.Put("/policies/demo-city", new Dictionary<string, object?>(policy) { ["preferredGroupSize"] = 12, ["disabledRules"] = new[] { "no-such-rule" } })
            .Expect(HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("PreferredGroupSize", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("DisabledRules", out _));
        await host.ClientFor([PlatformRoles.OfficeCoordinator], jurisdiction: Luonan).Put("/policies/demo-city", policy).Expect(HttpStatusCode.Forbidden);
        await host.Client.Put("/policies/demo-city?reason=小组精简", policy).Expect(HttpStatusCode.OK);

        var round = await host.Launch(SmallRound());
        var groups = (await host.Propose(round.Id)).GetProperty("groups").EnumerateArray().ToList();
        Assert.All(groups, g => Assert.Equal(6, g.GetProperty("members").GetArrayLength()));
        Assert.All(groups, g => Assert.Single(g.GetProperty("members").EnumerateArray(), m => m.GetProperty("role").GetString() == "deputy-leader"));
        Assert.Equal(1, await host.Count(db => db.Set<AuditEntry>().Where(a => a.Action == "policy.created" && a.Reason == "小组精简")));
    }

    [Fact]
    public async Task A_round_without_targets_is_a_422_not_an_exception()
    {
        var round = await host.Launch(Round([]));
        var problem = await host.Client.Post($"/rounds/{round.Id}/proposal", new { }).Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("targets", problem.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
    }
}
