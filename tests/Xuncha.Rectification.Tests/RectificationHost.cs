using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Escalation;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Rectification.Tests;

/// <summary>The rectification service on a fresh database and virtual host of the shared servers, on a hand-moved clock.</summary>
public sealed class RectificationHost : IAsyncDisposable
{
    public const string County = "demo-city-luonan";
    public const string Unit = "demo-city-luonan-d01";
    public static readonly string[] UnitPath = ["demo-city", County, Unit];

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, ManualClock clock) : ServiceFactory<Program>(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        }
    }

    private readonly Factory factory;

    private RectificationHost(Factory factory, ManualClock clock, string database, string eventBus)
    {
        this.factory = factory;
        Clock = clock;
        Database = database;
        EventBus = eventBus;
    }

    public ManualClock Clock { get; }
    public string Database { get; }
    public string EventBus { get; }
    public IServiceProvider Services => factory.Services;

    public static async Task<RectificationHost> StartAsync(PlatformServers servers, DateOnly today, IDictionary<string, string?>? extra = null, RectificationHost? sharing = null, ManualClock? clock = null)
    {
        var database = sharing?.Database ?? await servers.CreateDatabaseAsync("rectification");
        var eventBus = sharing?.EventBus ?? await servers.CreateVirtualHostAsync("rectification");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rectificationdb"] = database,
            ["ConnectionStrings:eventbus"] = eventBus,
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "250",
            ["EventBus:RetryMilliseconds:0"] = "20",
            ["EventBus:RetryMilliseconds:1"] = "50",
            ["Rectification:Escalation:Enabled"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        clock ??= sharing?.Clock ?? new ManualClock(ManualClock.At(today));
        var host = new RectificationHost(new Factory(settings, clock), clock, database, eventBus);
        using var probe = host.factory.CreateClient();
        await probe.WaitHealthyAsync();
        return host;
    }

    public static string Token(string[] roles, string jurisdiction, string subject = "user-1") =>
        TestTokens.Mint(JwtAuthentication.AudienceFor("rectification"), subject: subject, roles: roles, jurisdiction: jurisdiction);

    public HttpClient Client(string[] roles, string jurisdiction, string subject = "user-1")
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(roles, jurisdiction, subject));
        return client;
    }

    public HttpClient Anonymous() => factory.CreateClient();

    public HttpClient Liaison(string unit = Unit) => Client([PlatformRoles.UnitLiaison], unit, "liaison-" + unit);
    public HttpClient Supervisor(string jurisdiction = County) => Client([PlatformRoles.RectificationSupervisor], jurisdiction, "supervisor-" + jurisdiction);

    public async Task<T> WithDb<T>(Func<RectificationDb, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RectificationDb>());
    }

    /// <summary>Events of type <typeparamref name="T"/> in the outbox whose payload mentions <paramref name="about"/> (a case, task or round id).</summary>
    public async Task<int> EventCount<T>(Guid about) => (await EventPayloads<T>(about)).Count;

    public async Task<List<string>> EventPayloads<T>(Guid about) =>
        [.. (await WithDb(db => db.Set<OutboxMessage>().Where(m => m.MessageType.StartsWith(typeof(T).FullName! + ",")).OrderBy(m => m.Sequence).Select(m => m.Payload).ToListAsync()))
            .Where(p => p.Contains(about.ToString(), StringComparison.OrdinalIgnoreCase))];

    public async Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var bus = factory.Services.GetRequiredService<IBus>();
        await bus.Publish(message, ctx => { if (messageId is { } id) ctx.MessageId = id; });
    }

    public async Task<EscalationScanner.ScanResult> ScanAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EscalationScanner>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>Delivers feedback with <paramref name="problems"/> problems for a fresh round and waits for the case to open.</summary>
    public async Task<Guid> DeliverFeedbackAsync(int problems = 2, string unit = Unit, string[]? path = null, int planDueDays = 10, DateTimeOffset? deliveredAt = null, Guid? roundId = null)
    {
        var message = Feedback(problems, unit, path, planDueDays, deliveredAt ?? Clock.GetUtcNow(), roundId ?? Guid.NewGuid());
        await PublishAsync(message);
        return await CaseOf(message.RoundId, message.TargetId);
    }

    public static FeedbackDelivered Feedback(int problems, string unit, string[]? path, int planDueDays, DateTimeOffset deliveredAt, Guid roundId) => new()
    {
        FeedbackId = Guid.NewGuid(),
        RoundId = roundId,
        TargetId = TargetIdOf(unit),
        TargetCode = unit,
        TargetName = unit == Unit ? "洛南县财政局" : $"单位{unit}",
        Jurisdiction = County,
        JurisdictionPath = path ?? (unit == Unit ? UnitPath : ["demo-city", County, unit]),
        Problems = [.. Enumerable.Range(1, problems).Select(i => new FeedbackProblem { FindingId = Guid.NewGuid(), Title = $"问题{i}：专项资金拨付超过15个工作日", Facts = $"事实{i}", Suggestion = $"建议{i}" })],
        PlanDueDays = planDueDays,
        DeliveredAt = deliveredAt,
    };

    public static Guid TargetIdOf(string unit) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(unit)));

    public Task<Guid> CaseOf(Guid roundId, Guid targetId, int problems = 1) =>
        Eventually.Until(
            () => WithDb(db => db.Cases.Where(c => c.RoundId == roundId && c.TargetId == targetId && c.Problems.Count >= problems).Select(c => c.Id).FirstOrDefaultAsync()),
            id => id != Guid.Empty, TimeSpan.FromSeconds(20), "the case to open");

    public async Task<JsonElement> GetCase(Guid id, HttpClient? client = null)
    {
        using var c = client is null ? Supervisor() : null;
        var response = await (client ?? c!).GetAsync($"/cases/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
