using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Contracts.Rectification;
using Xuncha.Contracts.Staffing;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

/// <summary>Other services' events advance each round target and feed statistics; a redelivery changes nothing.</summary>
[Collection(Servers.Name)]
public sealed class ProgressTests(ProgressTests.Seeded world) : IClassFixture<ProgressTests.Seeded>, IAsyncLifetime
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        public Guid Term { get; private set; }

        protected override async Task SeedAsync(PlanningHost planning) => Term = await World.TermAsync(Host);
    }

    private PlanningHost Host => world.Host;
    private Guid round;
    private readonly Guid group = Guid.NewGuid();
    // Each test plans its own three departments in its own round.
    private readonly string prefix = "tc-a-p" + Guid.NewGuid().ToString("N")[..6];
    private Guid D1 => World.IdOf(prefix + "-1");
    private Guid D2 => World.IdOf(prefix + "-2");
    private Guid D3 => World.IdOf(prefix + "-3");

    public async Task InitializeAsync()
    {
        await World.ImportAsync(Host, [World.Department(prefix + "-1", World.CountyA), World.Department(prefix + "-2", World.CountyA), World.Department(prefix + "-3", World.CountyA)]);
        round = await World.RoundAsync(Host, world.Term, "2025-03-01", "2025-04-30", [(prefix + "-1", "regular"), (prefix + "-2", "regular"), (prefix + "-3", "regular")]);
        await World.LaunchAsync(Host, round);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> StatusOf(Guid target) =>
        Host.WithDb(async db => (await db.RoundTargets.AsNoTracking().SingleAsync(rt => rt.RoundId == round && rt.TargetId == target)).Status.ToString());

    private GroupFormed Formed(int version, params GroupMember[] members) => new()
    {
        GroupId = group, RoundId = round, Jurisdiction = World.City, Name = "第一巡察组", TargetIds = [D1, D2], Version = version, Members = members,
        StartsOn = new DateOnly(2025, 3, 1), EndsOn = new DateOnly(2025, 4, 30), FormedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task Group_fieldwork_and_rectification_events_advance_targets_and_feed_statistics_once()
    {
        var before = (await Host.AsUser(World.City, "audit", PlatformRoles.AuditOfficer).Get($"/statistics?roundId={round}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(0, before["problemsFound"]!.GetValue<int>());
        await Host.Publish(Formed(1, new GroupMember { CadreId = Guid.NewGuid(), Name = "张组长", Role = "leader", AccountSubject = "cadre-leader" },
            new GroupMember { CadreId = Guid.NewGuid(), Name = "李组员", Role = "member", AccountSubject = "cadre-member" }));
        await Eventually.Until(() => StatusOf(D1), s => s == "GroupFormed", TimeSpan.FromSeconds(20), "the group to be recorded");

        var fieldwork = new FieldworkCompleted { RoundId = round, GroupId = group, TargetId = D1, Jurisdiction = World.City, ProblemsFound = 12, CluesRaised = 2, PetitionsReceived = 30, CompletedAt = DateTimeOffset.UtcNow };
        var messageId = Guid.NewGuid();
        await Host.Publish(fieldwork, messageId);
        await Host.Publish(fieldwork, messageId); // redelivered
        await Host.Publish(new FieldworkCompleted { RoundId = round, GroupId = group, TargetId = D2, Jurisdiction = World.City, ProblemsFound = 5, CluesRaised = 1, PetitionsReceived = 4, CompletedAt = DateTimeOffset.UtcNow });
        await Host.Publish(new RectificationEvaluated
        {
            EvaluationId = Guid.NewGuid(), RoundId = round, TargetId = D1, Jurisdiction = World.City, Score = 92.5m, SatisfactionRate = 96m,
            TasksTotal = 12, TasksClosed = 11, FundsRecovered = 37.2m, RulesEstablished = 3, PeopleHandled = 2, EvaluatedAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Until(() => StatusOf(D1), s => s == "RectificationEvaluated", TimeSpan.FromSeconds(20), "the evaluation to be recorded");
        await Eventually.Until(() => StatusOf(D2), s => s == "FieldworkCompleted", TimeSpan.FromSeconds(20), "the second target's fieldwork");
        // A late group message (older version) does not take anything back.
        await Host.Publish(Formed(0));
        await Task.Delay(500);
        Assert.Equal("RectificationEvaluated", await StatusOf(D1));

        var stats = (await Host.AsUser(World.City, "audit", PlatformRoles.AuditOfficer).Get($"/statistics?roundId={round}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(3, stats["targetsCovered"]!.GetValue<int>());
        Assert.Equal(1, stats["groups"]!.GetValue<int>());
        Assert.Equal(17, stats["problemsFound"]!.GetValue<int>());
        Assert.Equal(3, stats["cluesRaised"]!.GetValue<int>());
        Assert.Equal(34, stats["petitionsReceived"]!.GetValue<int>());
        Assert.Equal(11, stats["rectification"]!["tasksClosed"]!.GetValue<int>());
        Assert.Equal(91.7m, stats["rectification"]!["completionRate"]!.GetValue<decimal>());
        Assert.Equal(37.2m, stats["rectification"]!["fundsRecovered"]!.GetValue<decimal>());
        Assert.Equal(1, stats["roundsByStatus"]!["launched"]!.GetValue<int>());
        var byCity = (await Host.LeadingGroup().Get("/statistics")).Expect(HttpStatusCode.OK).Json;
        Assert.True(byCity["problemsFound"]!.GetValue<int>() >= 17);
        (await Host.LeadingGroup(World.CountyB).Get($"/statistics?roundId={round}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_group_member_sees_only_their_own_round_and_targets_and_the_leader_fills_the_checklist()
    {
        await Host.Publish(Formed(1, new GroupMember { CadreId = Guid.NewGuid(), Name = "张组长", Role = "leader", AccountSubject = "cadre-leader" },
            new GroupMember { CadreId = Guid.NewGuid(), Name = "李组员", Role = "member", AccountSubject = "cadre-member" }));
        await Eventually.Until(() => StatusOf(D2), s => s == "GroupFormed", TimeSpan.FromSeconds(20), "the group to be recorded");

        var member = Host.AsUser(World.City, "cadre-member", PlatformRoles.GroupMember);
        var view = (await member.Get($"/rounds/{round}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(2, view["targets"]!.AsArray().Count);
        Assert.Equal(round, Assert.Single((await member.Get("/rounds")).Expect(HttpStatusCode.OK).Json.AsArray())!["id"]!.GetValue<Guid>());
        (await member.Get($"/targets/{D1}")).Expect(HttpStatusCode.OK);
        (await member.Get($"/targets/{D3}")).ExpectProblem(HttpStatusCode.NotFound);
        var stranger = Host.AsUser(World.City, "cadre-other", PlatformRoles.GroupMember);
        (await stranger.Get($"/rounds/{round}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Get("/rounds")).Expect(HttpStatusCode.OK).Json.AsArray());

        var checklist = new { tasks = "落实乡村振兴资金管理", responsibilities = "主体责任", measures = "制定办法3项", effects = "拨付提速", gaps = "台账不全" };
        (await member.Put($"/rounds/{round}/targets/{D1}/checklist", checklist)).ExpectProblem(HttpStatusCode.Forbidden);
        (await Host.AsUser(World.City, "cadre-leader", PlatformRoles.GroupLeader).Put($"/rounds/{round}/targets/{D1}/checklist", checklist)).Expect(HttpStatusCode.OK);
        (await Host.AsUser(World.City, "cadre-leader", PlatformRoles.GroupLeader).Put($"/rounds/{round}/targets/{D3}/checklist", checklist)).ExpectProblem(HttpStatusCode.NotFound);
        var read = (await member.Get($"/rounds/{round}/targets/{D1}/checklist")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("台账不全", read["gaps"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_change_moves_read_access_from_the_removed_member_to_the_new_one_and_an_older_version_changes_nothing()
    {
        await Host.Publish(Formed(1, new GroupMember { CadreId = Guid.NewGuid(), Name = "张组长", Role = "leader", AccountSubject = "cadre-leader" },
            new GroupMember { CadreId = Guid.NewGuid(), Name = "李组员", Role = "member", AccountSubject = "cadre-leaving" }));
        await Eventually.Until(() => StatusOf(D2), s => s == "GroupFormed", TimeSpan.FromSeconds(20), "the group to be recorded");
        var leaving = Host.AsUser(World.City, "cadre-leaving", PlatformRoles.GroupMember);
        var joining = Host.AsUser(World.City, "cadre-joining", PlatformRoles.GroupMember);
        (await leaving.Get($"/rounds/{round}")).Expect(HttpStatusCode.OK);
        (await joining.Get($"/rounds/{round}")).ExpectProblem(HttpStatusCode.NotFound);

        // 调整: 李组员 replaced by 王组员 (回避), and the second unit moved to another group.
        await Host.Publish(new GroupChanged
        {
            GroupId = group, RoundId = round, Jurisdiction = World.City, Name = "第一巡察组", TargetIds = [D1], Version = 2, Reason = "李组员与被巡察单位负责人系亲属，回避",
            Members = [new GroupMember { CadreId = Guid.NewGuid(), Name = "张组长", Role = "leader", AccountSubject = "cadre-leader" },
                new GroupMember { CadreId = Guid.NewGuid(), Name = "王组员", Role = "member", AccountSubject = "cadre-joining" }],
            StartsOn = new DateOnly(2025, 3, 1), EndsOn = new DateOnly(2025, 4, 30), ChangedAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Until(async () => (await joining.Get($"/rounds/{round}")).Status, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the new member to read the round");
        (await leaving.Get($"/rounds/{round}")).ExpectProblem(HttpStatusCode.NotFound);
        (await joining.Get($"/targets/{D1}")).Expect(HttpStatusCode.OK);
        (await joining.Get($"/targets/{D2}")).ExpectProblem(HttpStatusCode.NotFound);

        // The formation message redelivered late (version 1) gives nothing back to the removed member.
        await Host.Publish(Formed(1, new GroupMember { CadreId = Guid.NewGuid(), Name = "李组员", Role = "member", AccountSubject = "cadre-leaving" }));
        await Task.Delay(1000);
        (await leaving.Get($"/rounds/{round}")).ExpectProblem(HttpStatusCode.NotFound);
    }
}
