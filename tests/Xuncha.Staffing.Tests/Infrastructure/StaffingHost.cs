using System.Net.Http.Headers;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Staffing.Data;
using Xuncha.Testing;

namespace Xuncha.Staffing.Tests.Infrastructure;

/// <summary>The staffing service in-process on a fresh database and virtual host of the shared real servers.</summary>
public sealed class StaffingHost : IAsyncDisposable
{
    public const string HashKey = "test-identity-hash-key-0123456789abcdef";

    private StaffingHost(ServiceFactory<Program> factory)
    {
        Factory = factory;
        Client = ClientFor([PlatformRoles.OfficeCoordinator]);
    }

    public ServiceFactory<Program> Factory { get; }
    /// <summary>An office coordinator of demo-city.</summary>
    public HttpClient Client { get; }

    public static string Token(IEnumerable<string> roles, string jurisdiction = "demo-city", string subject = "office-1") =>
        TestTokens.Mint(JwtAuthentication.AudienceFor("staffing"), subject: subject, roles: roles, jurisdiction: jurisdiction);

    public HttpClient ClientFor(IEnumerable<string> roles, string jurisdiction = "demo-city", string subject = "office-1")
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(roles, jurisdiction, subject));
        return client;
    }

    public static async Task<StaffingHost> StartAsync(PlatformServers servers, bool seed = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:staffingdb"] = await servers.CreateDatabaseAsync("staffing"),
            ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("staffing"),
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "250",
            ["EventBus:RetryMilliseconds:0"] = "20",
            ["EventBus:RetryMilliseconds:1"] = "50",
            ["Staffing:IdentityHashKey"] = HashKey,
            ["Demo:Seed"] = seed ? "true" : "false",
        };
        var host = new StaffingHost(new ServiceFactory<Program>(settings));
        await host.Client.WaitHealthyAsync();
        return host;
    }

    public async Task<T> WithDb<T>(Func<StaffingDb, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<StaffingDb>());
    }

    /// <summary>Publishes through the real broker, as another service would.</summary>
    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        Factory.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>The first <paramref name="count"/> demo cadres (in county order): enough for a few targets, quicker than the whole pool.</summary>
    public Task<int> AddDemoCadres(int count) => WithDb(db =>
    {
        db.Cadres.AddRange(Xuncha.Staffing.Seed.DemoPool.Generate().Take(count));
        return db.SaveChangesAsync();
    });

    public Task<int> Count<T>(Func<StaffingDb, IQueryable<T>> query) => WithDb(db => query(db).CountAsync());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
