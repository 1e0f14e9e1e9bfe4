using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Tests.Infrastructure;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Clues.Tests;

/// <summary>Need-to-know on clue contents: who may read, who gets a 404, and that every read leaves an audit row.</summary>
[Collection(Servers.Name)]
public sealed class AccessTests(AccessTests.Fixture fixture) : IClassFixture<AccessTests.Fixture>
{
    private static readonly Guid GroupA = Guid.NewGuid();
    private static readonly Guid GroupB = Guid.NewGuid();
    private static readonly Guid OtherTarget = Guid.NewGuid();
    private readonly CluesHost host = fixture.Host;
    private readonly Guid raised = fixture.Raised;

    /// <summary>Two groups of the round (A raised the clue, B inspects another target) and the clue raised by fieldwork.</summary>
    public sealed class Fixture(PlatformServers servers) : HostFixture(servers)
    {
        public Guid Raised { get; } = Guid.NewGuid();

        protected override async Task PrepareAsync()
        {
            var host = Host;
            await host.PublishAsync(Group(GroupA, Api.TargetId, "leader-a", "member-a"));
            await host.PublishAsync(Group(GroupB, OtherTarget, "leader-b", "member-b"));
            var message = new ClueRaised
            {
                ClueId = Raised, RoundId = Api.RoundId, GroupId = GroupA, TargetId = Api.TargetId, TargetName = "洛南县黄沙镇",
                Jurisdiction = CluesHost.City, JurisdictionPath = Api.TargetPath, InvolvedPersons = ["李某某"],
                Allegation = "反映李某某在危房改造中收受好处费", EvidenceReferences = ["问题底稿 第7号"], Source = "interview", RaisedAt = DateTimeOffset.UtcNow,
            };
            await host.PublishAsync(message);
            await host.PublishAsync(message with { }); // a re-raise under a new message id
            await Eventually.Until(() => host.WithDb(db => db.Groups.CountAsync()), n => n == 2, TimeSpan.FromSeconds(20), "both groups in the read model");
            await Eventually.Until(() => host.WithDb(db => db.Clues.CountAsync(c => c.Id == Raised)), n => n == 1, TimeSpan.FromSeconds(20), "the raised clue");
        }
    }

    private static GroupFormed Group(Guid id, Guid target, string leader, string member) => new()
    {
        GroupId = id, RoundId = Api.RoundId, Jurisdiction = CluesHost.City, Name = "第一巡察组", TargetIds = [target], Version = 1,
        Members =
        [
            new GroupMember { CadreId = Guid.NewGuid(), Name = "组长", Role = "leader", AccountSubject = leader },
            new GroupMember { CadreId = Guid.NewGuid(), Name = "组员", Role = "member", AccountSubject = member },
        ],
    };

    public static TheoryData<string, string, string> Permitted => new()
    {
        { PlatformRoles.ClueOfficer, CluesHost.City, "officer" },
        { PlatformRoles.CommissionCaseOfficer, CluesHost.City, "case-officer" },
        { PlatformRoles.GroupLeader, CluesHost.City, "leader-a" },
    };

    public static TheoryData<string, string, string> Denied => new()
    {
        { PlatformRoles.UnitResponsible, CluesHost.County + "-t03", "unit-head" },   // the inspected unit
        { PlatformRoles.GroupLeader, CluesHost.City, "leader-b" },                  // another group's leader
        { PlatformRoles.GroupMember, CluesHost.City, "member-a" },                  // a member (not the leader) of the raising group
        { PlatformRoles.GroupMember, CluesHost.City, "member-b" },                  // another group's member
        { PlatformRoles.AuditOfficer, CluesHost.City, "auditor" },                  // the audit bureau
        { PlatformRoles.ClueOfficer, CluesHost.County, "county-officer" },          // below the owner (a city round's clue)
        { PlatformRoles.CommissionCaseOfficer, CluesHost.OtherCounty, "other-case-officer" },
        { PlatformRoles.LeadingGroup, CluesHost.City, "leading-group" },
    };

    [Theory]
    [MemberData(nameof(Permitted))]
    public async Task Permitted_readers_see_the_clue_and_the_read_is_audited(string role, string jurisdiction, string subject)
    {
        var before = await host.AuditCount("clue.read", raised);
        var clue = await (await host.As(role, jurisdiction, subject).GetAsync($"/clues/{raised}")).Json(HttpStatusCode.OK);
        Assert.Equal("李某某", clue.GetProperty("involvedPersons")[0].GetString());
        Assert.Equal("unclassified", clue.GetProperty("category").GetString());
        Assert.Equal(before + 1, await host.AuditCount("clue.read", raised));
        var row = await host.WithDb(db => db.AuditEntries.Where(a => a.Action == "clue.read" && a.EntityId == raised.ToString()).OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal(subject, row.Actor);
    }

    [Theory]
    [MemberData(nameof(Denied))]
    public async Task Everyone_else_gets_404_and_the_attempt_is_audited(string role, string jurisdiction, string subject)
    {
        var client = host.As(role, jurisdiction, subject);
        var before = await host.AuditCount("clue.read-refused", raised);
        var response = await client.GetAsync($"/clues/{raised}");
        var problem = await response.Json(HttpStatusCode.NotFound);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal(before + 1, await host.AuditCount("clue.read-refused", raised));
        var list = await (await client.GetAsync("/clues")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_organisation_department_reads_only_clues_transferred_to_it()
    {
        var officer = host.ClueOfficer();
        var toCommission = await Api.TransferredAsync(officer, "王某甲");
        var toOrganisation = await Api.TransferredAsync(officer, "王某乙", destination: "organisation-department");
        var organisation = host.As(PlatformRoles.OrganisationDepartment, CluesHost.City, "org-dept");

        await (await organisation.GetAsync($"/clues/{toCommission}")).Json(HttpStatusCode.NotFound);
        var clue = await (await organisation.GetAsync($"/clues/{toOrganisation}")).Json(HttpStatusCode.OK);
        Assert.Equal("organisation-department", clue.GetProperty("destination").GetString());
        var letter = await organisation.GetAsync($"/clues/{toCommission}/transfer-letter");
        Assert.Equal(HttpStatusCode.NotFound, letter.StatusCode);
    }

    [Fact]
    public async Task Lists_are_filtered_and_every_listed_clue_is_audited()
    {
        var leader = host.As(PlatformRoles.GroupLeader, CluesHost.City, "leader-a");
        var before = await host.AuditCount("clue.listed", raised);
        var list = await (await leader.GetAsync("/clues")).Json(HttpStatusCode.OK);
        Assert.Equal([raised], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList());
        Assert.Equal(before + 1, await host.AuditCount("clue.listed", raised));
    }

    [Fact]
    public async Task A_raised_clue_is_registered_once_even_when_raised_twice() =>
        Assert.Equal(1, await host.WithDb(db => db.Clues.CountAsync(c => c.Id == raised)));

    [Fact]
    public async Task The_commission_lists_who_read_a_clue()
    {
        await (await host.As(PlatformRoles.GroupLeader, CluesHost.City, "leader-a").GetAsync($"/clues/{raised}")).Json(HttpStatusCode.OK);
        await host.As(PlatformRoles.AuditOfficer, CluesHost.City, "curious-auditor").GetAsync($"/clues/{raised}");

        var reads = await (await host.CaseOfficer().GetAsync($"/clues/reads?clueId={raised}")).Json(HttpStatusCode.OK);
        var rows = reads.EnumerateArray().Select(r => (Actor: r.GetProperty("actor").GetString(), Action: r.GetProperty("action").GetString())).ToList();
        Assert.Contains(("leader-a", "clue.read"), rows);
        Assert.Contains(("curious-auditor", "clue.read-refused"), rows);
        Assert.All(reads.EnumerateArray(), r => Assert.Equal(raised, r.GetProperty("clueId").GetGuid()));

        await (await host.ClueOfficer().GetAsync("/clues/reads")).Json(HttpStatusCode.Forbidden);
        var elsewhere = await (await host.CaseOfficer(CluesHost.OtherCounty).GetAsync($"/clues/reads?clueId={raised}")).Json(HttpStatusCode.OK);
        Assert.Equal(0, elsewhere.GetArrayLength());
    }

    [Fact]
    public async Task A_later_group_change_moves_the_leadership()
    {
        var changed = new GroupChanged
        {
            GroupId = GroupB, RoundId = Api.RoundId, Jurisdiction = CluesHost.City, Name = "第二巡察组", TargetIds = [OtherTarget, Api.TargetId], Version = 2,
            Members = [new GroupMember { CadreId = Guid.NewGuid(), Name = "新组长", Role = "leader", AccountSubject = "leader-c" }], Reason = "调整",
        };
        await host.PublishAsync(changed);
        await host.PublishAsync(Group(GroupB, OtherTarget, "leader-b", "member-b")); // an older version arriving late changes nothing
        var leaderC = host.As(PlatformRoles.GroupLeader, CluesHost.City, "leader-c");
        await Eventually.Until(async () => (await leaderC.GetAsync($"/clues/{raised}")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the new leader's access");
        await Task.Delay(500);
        await (await host.As(PlatformRoles.GroupLeader, CluesHost.City, "leader-b").GetAsync($"/clues/{raised}")).Json(HttpStatusCode.NotFound);
    }
}
