using System.Net.Http.Headers;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.AuditLinkage.Data;
using Xuncha.Contracts.Planning;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>
/// The audit-linkage service on a fresh database and virtual host, with one launched round (county 洛南县, two targets)
/// and one formed group fed through the real broker, and tokens for each kind of caller.
/// </summary>
public sealed class AuditHost : IAsyncDisposable
{
    public const string County = "demo-city-luonan";
    public const string MemberSubject = "member-account-1";
    public const string LeaderSubject = "leader-account-1";

    public static readonly Guid RoundId = Guid.Parse("0196a000-0000-7000-8000-000000000001");
    public static readonly Guid TargetId = Guid.Parse("0196a000-0000-7000-8000-0000000000a1");
    public static readonly Guid OtherTargetId = Guid.Parse("0196a000-0000-7000-8000-0000000000a2");
    public static readonly Guid GroupId = Guid.Parse("0196a000-0000-7000-8000-0000000000b1");

    private AuditHost(ServiceFactory<Program> factory) => Factory = factory;

    public ServiceFactory<Program> Factory { get; }

    public static async Task<AuditHost> StartAsync(PlatformServers servers, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:auditdb"] = await servers.CreateDatabaseAsync("audit"),
            ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("audit"),
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "250",
            ["EventBus:RetryMilliseconds:0"] = "20",
            ["AuditLinkage:IdentityHashKey"] = "test-identity-hash-key-0123456789abcdef",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = new AuditHost(new ServiceFactory<Program>(settings));
        await host.Factory.CreateClient().WaitHealthyAsync();
        await host.PublishAsync(Round());
        await host.PublishAsync(Group(version: 1, MemberSubject, LeaderSubject));
        await Eventually.Until(() => host.WithDb(db => db.Groups.CountAsync()), n => n == 1, TimeSpan.FromSeconds(20), "the group read model");
        await Eventually.Until(() => host.WithDb(db => db.Rounds.CountAsync()), n => n == 1, TimeSpan.FromSeconds(20), "the round read model");
        return host;
    }

    public static RoundLaunched Round() => new()
    {
        RoundId = RoundId, TermId = Guid.NewGuid(), Jurisdiction = County, Number = 3, Name = "洛南县委第三轮巡察",
        StartsOn = new DateOnly(2024, 3, 1), EndsOn = new DateOnly(2024, 5, 31), GroupsNeeded = 1, StandardsVersion = 1,
        LaunchedAt = DateTimeOffset.UtcNow,
        Targets =
        [
            new RoundTarget { TargetId = TargetId, Code = "demo-city-luonan-d03", Name = "洛南县民政局", Kind = "county-department", Mode = "regular",
                JurisdictionPath = ["demo-city", County, "demo-city-luonan-d03"], County = County },
            new RoundTarget { TargetId = OtherTargetId, Code = "demo-city-luonan-t01", Name = "洛南县城关镇", Kind = "township", Mode = "regular",
                JurisdictionPath = ["demo-city", County, "demo-city-luonan-t01"], County = County },
        ],
    };

    public static GroupFormed Group(int version, params string[] subjects) => new()
    {
        GroupId = GroupId, RoundId = RoundId, Jurisdiction = County, Name = "第一巡察组", TargetIds = [TargetId, OtherTargetId], Version = version,
        Members = [.. subjects.Select((s, i) => new GroupMember { CadreId = Guid.NewGuid(), Name = $"组员{i}", Role = i == 0 ? "member" : "leader", AccountSubject = s })],
        FormedAt = DateTimeOffset.UtcNow,
    };

    public async Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var bus = Factory.Services.GetRequiredService<IBus>();
        await bus.Publish(message, c => { if (messageId is not null) c.MessageId = messageId; });
    }

    public HttpClient Client(string subject, string jurisdiction = County, IEnumerable<string>? roles = null, bool withScope = true)
    {
        // The bare test-server client: WebApplicationFactory's redirect handler would buffer a streamed upload whole.
        var client = Factory.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(JwtAuthentication.AudienceFor("audit"),
            subject: subject, roles: roles ?? [], jurisdiction: jurisdiction, agency: "test", scopes: withScope ? ["audit"] : ["planning"]));
        return client;
    }

    public HttpClient Member() => Client(MemberSubject, roles: [PlatformRoles.GroupMember]);
    public HttpClient Leader() => Client(LeaderSubject, roles: [PlatformRoles.GroupLeader]);
    public HttpClient AuditOfficer() => Client("auditor-1", roles: [PlatformRoles.AuditOfficer]);
    public HttpClient Office() => Client("office-1", roles: [PlatformRoles.OfficeCoordinator]);

    public async Task<T> WithDb<T>(Func<AuditDb, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AuditDb>());
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
