using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>The read models fed by planning and staffing, and need-to-know built on them.</summary>
[Collection(Servers.Name)]
public sealed class AccessTests(PlatformServers servers) : IAsyncLifetime
{
    private AuditHost host = null!;
    private static readonly string Datasets = $"/rounds/{AuditHost.RoundId}/datasets";

    public async Task InitializeAsync() => host = await AuditHost.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Only_the_rounds_group_members_audit_officers_and_office_roles_over_it_may_look()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Member().GetAsync(Datasets)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Leader().GetAsync(Datasets)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.AuditOfficer().GetAsync(Datasets)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Office().GetAsync(Datasets)).StatusCode);
        // The city above the county oversees the round too.
        Assert.Equal(HttpStatusCode.OK, (await host.Client("city-auditor", "demo-city", [PlatformRoles.AuditOfficer]).GetAsync(Datasets)).StatusCode);

        // In the jurisdiction but neither in the group nor in an office or audit role.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client("someone-else", roles: [PlatformRoles.GroupMember]).GetAsync(Datasets)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client("case-officer", roles: [PlatformRoles.CommissionCaseOfficer]).GetAsync(Datasets)).StatusCode);
        // Outside the jurisdiction the round does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client("other-auditor", "demo-city-danfeng", [PlatformRoles.AuditOfficer]).GetAsync(Datasets)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.AuditOfficer().GetAsync($"/rounds/{Guid.NewGuid()}/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.AuditOfficer().GetAsync($"/rounds/{AuditHost.RoundId}/targets/{Guid.NewGuid()}/problems")).StatusCode);
        // The token must carry this API's scope; and a token is required at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client("auditor-1", roles: [PlatformRoles.AuditOfficer], withScope: false).GetAsync(Datasets)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Factory.Server.CreateClient().GetAsync(Datasets)).StatusCode);
    }

    [Fact]
    public async Task Every_catalogue_column_exists_in_its_dataset_table_with_the_matching_type()
    {
        var columns = await host.WithDb(db => db.Database.SqlQueryRaw<string>(
            "SELECT table_name || '.' || column_name || ':' || data_type AS \"Value\" FROM information_schema.columns WHERE table_name LIKE 'ds\\_%'").ToListAsync());
        foreach (var kind in Xuncha.AuditLinkage.Datasets.DatasetCatalog.All)
        {
            foreach (var column in kind.Columns)
            {
                var expected = column.Type switch
                {
                    Xuncha.AuditLinkage.Datasets.ColumnType.IdNumber => new[] { $"{kind.Table}.{column.HashColumn}:bytea", $"{kind.Table}.{column.MaskedColumn}:text" },
                    Xuncha.AuditLinkage.Datasets.ColumnType.Date => [$"{kind.Table}.{column.Name}:date"],
                    Xuncha.AuditLinkage.Datasets.ColumnType.Money => [$"{kind.Table}.{column.Name}:numeric"],
                    _ => [$"{kind.Table}.{column.Name}:text"],
                };
                Assert.All(expected, e => Assert.Contains(e, columns));
            }
        }
    }

    [Fact]
    public async Task Group_changes_apply_by_version_and_a_redelivered_event_changes_nothing()
    {
        var changed = new Xuncha.Contracts.Staffing.GroupChanged
        {
            GroupId = AuditHost.GroupId, RoundId = AuditHost.RoundId, Jurisdiction = AuditHost.County, Name = "第一巡察组", Version = 2,
            TargetIds = [AuditHost.TargetId], Reason = "调整组员",
            Members = [new() { CadreId = Guid.NewGuid(), Name = "新组员", Role = "member", AccountSubject = "new-member" },
                       new() { CadreId = Guid.NewGuid(), Name = "组长", Role = "leader", AccountSubject = AuditHost.LeaderSubject }],
        };
        await host.PublishAsync(changed);
        await Eventually.Until(() => host.WithDb(db => db.Groups.AsNoTracking().SingleAsync()), g => g.Version == 2, TimeSpan.FromSeconds(20), "the group change");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Member().GetAsync(Datasets)).StatusCode); // removed from the group
        Assert.Equal(HttpStatusCode.OK, (await host.Client("new-member", roles: [PlatformRoles.GroupMember]).GetAsync(Datasets)).StatusCode);

        // A late GroupFormed (version 1) and a redelivered round launch are ignored.
        await host.PublishAsync(AuditHost.Group(version: 1, AuditHost.MemberSubject));
        var redelivered = Guid.NewGuid();
        await host.PublishAsync(AuditHost.Round() with { Name = "改名" }, redelivered);
        await host.PublishAsync(AuditHost.Round() with { Name = "再改名" }, redelivered);
        await Eventually.Until(() => host.WithDb(db => db.Set<Xuncha.ServiceDefaults.Messaging.InboxMessage>().CountAsync()), n => n >= 5,
            TimeSpan.FromSeconds(20), "the inbox to record the later messages");
        var group = await host.WithDb(db => db.Groups.AsNoTracking().SingleAsync());
        Assert.Equal(2, group.Version);
        Assert.Equal(["new-member", AuditHost.LeaderSubject], group.MemberSubjects);
        var round = await host.WithDb(db => db.Rounds.AsNoTracking().SingleAsync());
        Assert.Equal("洛南县委第三轮巡察", round.Name);
        Assert.Equal(["demo-city", AuditHost.County], round.JurisdictionPath);
    }
}
