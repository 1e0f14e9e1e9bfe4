using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Contracts.Staffing;
using Xuncha.Fieldwork.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Fieldwork.Tests;

/// <summary>Workspaces open from staffing's events; only the group's members and the directing office see them — anyone else gets 404.</summary>
[Collection(Servers.Name)]
public sealed class WorkspaceAccessTests(FieldworkHost host) : IClassFixture<FieldworkHost>
{
    [Fact]
    public async Task GroupFormed_opens_one_workspace_with_the_targets_details_even_when_redelivered()
    {
        var s = await new Scenario(host).OpenAsync();
        // The same message again (same MessageId): the inbox makes it a no-op.
        var formed = s.Formed();
        var messageId = Guid.NewGuid();
        var bus = host.Factory.Services.GetRequiredService<IBus>();
        await bus.Publish(formed, c => c.MessageId = messageId);
        await bus.Publish(formed, c => c.MessageId = messageId);
        await Eventually.Until(() => host.WithDb(db => db.Set<Xuncha.ServiceDefaults.Messaging.InboxMessage>().CountAsync(m => m.MessageId == messageId)),
            n => n == 1, TimeSpan.FromSeconds(10), "the redelivered GroupFormed to reach the inbox");

        Assert.Equal(1, await host.WithDb(db => db.Workspaces.CountAsync(w => w.GroupId == s.GroupId)));
        using var member = s.As(s.MemberB);
        var ws = await member.GetJson(s.Ws);
        Assert.Equal("石门镇东沟村", ws.Str("target"));
        Assert.Equal("village", ws.Str("targetKind"));
        Assert.Equal("member", ws.Str("myRole"));
        Assert.Equal(4, ws.GetProperty("members").GetArrayLength());
        // Member views carry no account subjects.
        Assert.DoesNotContain(s.Leader.AccountSubject!, ws.GetRawText());
    }

    [Fact]
    public async Task GroupChanged_keeps_the_highest_version_of_the_roster()
    {
        var s = await new Scenario(host).OpenAsync();
        var newcomer = new GroupMember { CadreId = Guid.NewGuid(), Name = "组员钱", Role = "member", AccountSubject = "member-new-" + Guid.NewGuid().ToString("N")[..6] };
        var changed = new GroupChanged
        {
            GroupId = s.GroupId, RoundId = s.RoundId, Jurisdiction = Scenario.County, Name = "洛南县委第三巡察组", TargetIds = [s.TargetId],
            StartsOn = new DateOnly(2026, 11, 1), EndsOn = new DateOnly(2026, 12, 31), Members = [s.Leader, s.Deputy, s.MemberA, newcomer],
            Version = 3, Reason = "回避调整", ChangedAt = DateTimeOffset.UtcNow,
        };
        await host.Publish(changed);
        using var added = host.As(newcomer.AccountSubject!);
        await Eventually.Until(async () => (await added.GetAsync(s.Ws)).StatusCode, c => c == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the newcomer to see the workspace");
        using var removed = s.As(s.MemberB);
        await (await removed.GetAsync(s.Ws)).Problem(HttpStatusCode.NotFound);

        // An older version arriving late changes nothing.
        await host.Publish(s.Formed(version: 2));
        await host.Publish(changed with { Version = 1, Members = s.Members });
        await Eventually.Until(() => host.WithDb(db => db.Set<Xuncha.ServiceDefaults.Messaging.InboxMessage>().CountAsync(m => m.Consumer == "GroupChangedConsumer")),
            n => n >= 2, TimeSpan.FromSeconds(10), "the stale GroupChanged to be consumed");
        await Task.Delay(300);
        Assert.Equal(3, await host.WithDb(db => db.Groups.Where(g => g.Id == s.GroupId).Select(g => g.RosterVersion).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await removed.GetAsync(s.Ws)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await added.GetAsync(s.Ws)).StatusCode);
    }

    [Fact]
    public async Task Outsiders_get_404_for_the_workspace_and_its_records()
    {
        var s = await new Scenario(host).OpenAsync();
        var paper = await s.DraftAsync();
        var other = await new Scenario(host).OpenAsync();
        var outsiders = new[]
        {
            // a member of another group
            other.As(other.Leader),
            // the inspected unit's responsible person, whose jurisdiction is on the target's path
            host.As("unit-" + Guid.NewGuid().ToString("N")[..6], Scenario.Village, [PlatformRoles.UnitResponsible]),
            // an agency client (audit bureau) of the same county
            host.As("audit-client", Scenario.County, [PlatformRoles.AuditOfficer], asClient: true),
            // another county's inspection office
            s.Office("demo-city-danfeng"),
            // an office coordinator below the directing jurisdiction (a township)
            s.Office(Scenario.Township),
        };
        foreach (var client in outsiders)
        {
            using (client)
            {
                await (await client.GetAsync(s.Ws)).Problem(HttpStatusCode.NotFound);
                await (await client.GetAsync($"{s.Ws}/papers/{paper}")).Problem(HttpStatusCode.NotFound);
                await (await client.GetAsync($"{s.Ws}/petitions")).Problem(HttpStatusCode.NotFound);
                await (await client.PostAsJsonAsync($"{s.Ws}/papers", Scenario.CompletePaper())).Problem(HttpStatusCode.NotFound);
                var list = await client.GetJson("/workspaces");
                Assert.DoesNotContain(list.EnumerateArray(), w => w.GetProperty("id").GetGuid() == s.WorkspaceId);
            }
        }
        // The directing office and the city above it see it.
        using var office = s.Office();
        Assert.Equal(s.WorkspaceId, (await office.GetJson(s.Ws)).GetProperty("id").GetGuid());
        using var city = s.Office("demo-city");
        Assert.Contains((await city.GetJson("/workspaces")).EnumerateArray(), w => w.GetProperty("id").GetGuid() == s.WorkspaceId);
    }

    [Fact]
    public async Task Tokens_for_another_API_or_none_are_refused()
    {
        var s = await new Scenario(host).OpenAsync();
        using var wrongAudience = host.As(s.Leader.AccountSubject!, audience: "xuncha.planning");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongAudience.GetAsync(s.Ws)).StatusCode);
        using var anonymous = host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/workspaces")).StatusCode);
    }
}
