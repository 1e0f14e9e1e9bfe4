using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Clues.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;

namespace Xuncha.Clues.Tests.Infrastructure;

/// <summary>The clues service in-process on a fresh database and virtual host of the shared real servers.</summary>
public sealed class CluesHost : IAsyncDisposable
{
    public const string City = "demo-city";
    public const string County = "demo-city-luonan";
    public const string OtherCounty = "demo-city-danfeng";

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, TimeProvider clock) : ServiceFactory<Program>(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton(clock));
        }
    }

    private readonly Factory factory;

    private CluesHost(Factory factory, ShiftedClock clock)
    {
        this.factory = factory;
        Clock = clock;
    }

    /// <summary>The clock the service uses (moved by tests).</summary>
    public ShiftedClock Clock { get; }

    public IServiceProvider Services => factory.Services;

    public static async Task<CluesHost> StartAsync(PlatformServers servers, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cluesdb"] = await servers.CreateDatabaseAsync("clues"),
            ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("clues"),
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "250",
            ["EventBus:RetryMilliseconds:0"] = "20",
            ["Clues:SweepMinutes"] = "0",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var clock = new ShiftedClock();
        var host = new CluesHost(new Factory(settings, clock), clock);
        using var probe = host.factory.CreateClient();
        await probe.WaitHealthyAsync();
        return host;
    }

    /// <summary>An HTTP client whose bearer token carries the given roles, jurisdiction and subject.</summary>
    public HttpClient As(string role, string jurisdiction = City, string? subject = null)
    {
        var client = factory.CreateClient();
        var token = TestTokens.Mint(JwtAuthentication.AudienceFor("clues"), subject: subject ?? $"{role}@{jurisdiction}", roles: [role], jurisdiction: jurisdiction);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient ClueOfficer(string jurisdiction = City) => As(PlatformRoles.ClueOfficer, jurisdiction);

    public HttpClient CaseOfficer(string jurisdiction = City) => As(PlatformRoles.CommissionCaseOfficer, jurisdiction);

    public async Task<T> WithDb<T>(Func<CluesDb, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CluesDb>());
    }

    public Task<int> AuditCount(string action, Guid clueId) =>
        WithDb(db => db.AuditEntries.CountAsync(a => a.Action == action && a.EntityId == clueId.ToString()));

    /// <summary>Outbox payloads (JSON text) of one event type that mention <paramref name="id"/>.</summary>
    public async Task<List<string>> OutboxPayloads(string eventName, Guid id)
    {
        var rows = await WithDb(db => db.Set<Xuncha.ServiceDefaults.Messaging.OutboxMessage>().AsNoTracking().Where(m => m.MessageType.Contains(eventName)).ToListAsync());
        return [.. rows.Select(r => r.Payload).Where(p => p.Contains(id.ToString(), StringComparison.Ordinal))];
    }

    /// <summary>Publishes on the real broker, as another service's outbox relay would.</summary>
    public Task PublishAsync<T>(T message) where T : class => factory.Services.GetRequiredService<IBus>().Publish(message);

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
