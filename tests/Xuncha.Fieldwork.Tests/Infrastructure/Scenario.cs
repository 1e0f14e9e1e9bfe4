using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Planning;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Fieldwork.Tests.Infrastructure;

/// <summary>
/// One group on one target (a village of 洛南县 by default), opened the way production opens it: planning's RoundLaunched
/// and staffing's GroupFormed published on the real broker. Subjects are unique per scenario.
/// </summary>
public sealed class Scenario
{
    public const string County = "demo-city-luonan";
    public const string Township = "demo-city-luonan-t03";
    public const string Village = "demo-city-luonan-t03-v07";
    private readonly FieldworkHost host;
    private readonly string tag = Guid.NewGuid().ToString("N")[..8];

    public Guid RoundId { get; } = Guid.NewGuid();
    public Guid GroupId { get; } = Guid.NewGuid();
    public Guid TargetId { get; } = Guid.NewGuid();
    public Guid TownshipTargetId { get; } = Guid.NewGuid();
    public Guid WorkspaceId { get; private set; }
    public GroupMember Leader { get; }
    public GroupMember Deputy { get; }
    public GroupMember MemberA { get; }
    public GroupMember MemberB { get; }

    public Scenario(FieldworkHost host)
    {
        this.host = host;
        Leader = Cadre("组长王", "leader");
        Deputy = Cadre("副组长李", "deputy-leader");
        MemberA = Cadre("组员张", "member");
        MemberB = Cadre("组员赵", "member");
    }

    private GroupMember Cadre(string name, string role) =>
        new() { CadreId = Guid.NewGuid(), Name = name, Role = role, AccountSubject = $"{role}-{Guid.NewGuid().ToString("N")[..6]}-{tag}" };

    public IReadOnlyList<GroupMember> Members => [Leader, Deputy, MemberA, MemberB];

    public HttpClient As(GroupMember m) => host.As(m.AccountSubject!, jurisdiction: County, roles: [m.Role == "leader" ? PlatformRoles.GroupLeader : m.Role == "deputy-leader" ? PlatformRoles.DeputyLeader : PlatformRoles.GroupMember]);

    public HttpClient Office(string jurisdiction = County) => host.As($"office-{tag}", jurisdiction, [PlatformRoles.OfficeCoordinator]);

    public string Ws => $"/workspaces/{WorkspaceId}";

    public GroupFormed Formed(int version = 1, IReadOnlyList<GroupMember>? members = null) => new()
    {
        GroupId = GroupId, RoundId = RoundId, Jurisdiction = County, Name = "洛南县委第三巡察组", TargetIds = [TargetId],
        StartsOn = new DateOnly(2026, 11, 1), EndsOn = new DateOnly(2026, 12, 31), Members = members ?? Members, Version = version,
        FormedAt = DateTimeOffset.UtcNow,
    };

    public RoundLaunched Launched() => new()
    {
        RoundId = RoundId, Jurisdiction = County, Number = 3, Name = "洛南县委第三轮巡察",
        StartsOn = new DateOnly(2026, 11, 1), EndsOn = new DateOnly(2026, 12, 31),
        Targets =
        [
            new RoundTarget { TargetId = TownshipTargetId, Code = Township, ParentCode = County, Name = "石门镇", Kind = "township", Mode = "township-with-villages",
                JurisdictionPath = ["demo-city", County, Township] },
            new RoundTarget { TargetId = TargetId, Code = Village, ParentCode = Township, Name = "石门镇东沟村", Kind = "village", Mode = "township-with-villages",
                JurisdictionPath = ["demo-city", County, Township, Village], ClusterTargetId = TownshipTargetId },
        ],
        LaunchedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Publishes the round and the group and waits until the leader sees the workspace with its target's name.</summary>
    public async Task<Scenario> OpenAsync()
    {
        await host.Publish(Launched());
        await host.Publish(Formed());
        using var leader = As(Leader);
        var list = await Eventually.Until(async () => await leader.GetFromJsonAsync<JsonElement>("/workspaces"),
            l => l.EnumerateArray().Any(w => w.Str("target") == "石门镇东沟村"), TimeSpan.FromSeconds(20), "the workspace to open");
        WorkspaceId = list.EnumerateArray().First(w => w.Str("target") == "石门镇东沟村").GetProperty("id").GetGuid();
        return this;
    }

    /// <summary>A paper meeting 五见两清, drafted by <paramref name="drafter"/> (member A by default).</summary>
    public static object CompletePaper(string title = "村集体资产出租未履行“三议两公开”程序", string[]? involved = null) => new
    {
        title,
        source = "DocumentReview",
        occurredPeriod = "2024年3月至2025年6月",
        facts = "该村将集体鱼塘出租给个人，未经村民代表大会讨论，租赁合同未公开。",
        figures = "涉及鱼塘3处，年租金合计4.8万元",
        amount = 48000m,
        causes = "村两委对“三议两公开”制度执行不严，乡镇监管缺位。",
        nature = "违反农村集体资产管理规定",
        degree = "问题持续一年以上，涉及集体资产较大",
        impact = "损害集体经济组织成员权益，群众意见较大",
        policyBasis = "《农村集体经济组织财务制度》第二十条",
        evidence = new[] { "租赁合同复印件", "村务公开栏照片" },
        responsiblePerson = "村党支部书记",
        involvedPersons = involved ?? Array.Empty<string>(),
        suggestion = "规范集体资产出租程序，重新履行民主决策和公开程序。",
    };

    public async Task<Guid> DraftAsync(object? paper = null, GroupMember? drafter = null)
    {
        using var client = As(drafter ?? MemberA);
        var created = await client.PostJson($"{Ws}/papers", paper ?? CompletePaper(), HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    /// <summary>Drafted, submitted, reviewed by the deputy and signed by the leader.</summary>
    public async Task<Guid> SignedPaperAsync(object? paper = null, GroupMember? drafter = null)
    {
        var id = await DraftAsync(paper, drafter);
        using var d = As(drafter ?? MemberA);
        await d.PostJson($"{Ws}/papers/{id}/submit", new { }, HttpStatusCode.OK);
        using var deputy = As(Deputy);
        await deputy.PostJson($"{Ws}/papers/{id}/approve", new { comment = "同意" }, HttpStatusCode.OK);
        using var leader = As(Leader);
        await leader.PostJson($"{Ws}/papers/{id}/approve", new { comment = "签批" }, HttpStatusCode.OK);
        return id;
    }

    public async Task DisposeAsync(Guid paperId, string kind, DateOnly? dueOn = null)
    {
        using var leader = As(Leader);
        await leader.PostJson($"{Ws}/papers/{paperId}/disposition", new { kind, dueOn }, HttpStatusCode.OK);
    }

    /// <summary>Publishes the announcement (open from long ago until <paramref name="closesOn"/>) and returns its intake code.</summary>
    public async Task<string> AnnounceAsync(DateOnly? closesOn = null)
    {
        using var leader = As(Leader);
        var a = await (await leader.PutAsJsonAsync($"{Ws}/announcement", new
        {
            opensOn = new DateOnly(2026, 1, 1), closesOn = closesOn ?? new DateOnly(2030, 12, 31),
            acceptedScope = "反映被巡察党组织领导班子及其成员的问题", hotline = "0914-1234567", mailbox = "xuncha3@example.cn", postalAddress = "洛南县城关镇邮政信箱1号",
        })).Json(HttpStatusCode.OK);
        return a.Str("intakeCode");
    }

    public Task<int> PetitionRowsAsync() => host.WithDb(db => db.Petitions.CountAsync(p => p.WorkspaceId == WorkspaceId));
}
