using System.Net.Http.Headers;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Planning.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests.Infrastructure;

/// <summary>The planning service on a fresh database and virtual host of the shared real servers.</summary>
public sealed class PlanningHost : IAsyncDisposable
{
    private readonly List<HttpClient> clients = [];

    private PlanningHost(ServiceFactory<Program> factory) => Factory = factory;

    public ServiceFactory<Program> Factory { get; }

    public static async Task<PlanningHost> StartAsync(PlatformServers servers, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:planningdb"] = await servers.CreateDatabaseAsync("planning"),
            ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("planning"),
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "250",
            ["EventBus:RetryMilliseconds:0"] = "20",
            ["EventBus:RetryMilliseconds:1"] = "50",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = new PlanningHost(new ServiceFactory<Program>(settings));
        await host.Anonymous().WaitHealthyAsync();
        return host;
    }

    public HttpClient Anonymous()
    {
        var client = Factory.CreateClient();
        clients.Add(client);
        return client;
    }

    /// <summary>A caller with these roles in this jurisdiction.</summary>
    public Api As(string jurisdiction, params string[] roles) => AsUser(jurisdiction, "user-" + string.Join("-", roles), roles);

    public Api AsUser(string jurisdiction, string subject, params string[] roles)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.Mint(JwtAuthentication.AudienceFor("planning"), subject: subject, roles: roles, jurisdiction: jurisdiction));
        return new Api(client);
    }

    public Api Coordinator(string jurisdiction = World.City) => AsUser(jurisdiction, "coordinator-" + jurisdiction, PlatformRoles.OfficeCoordinator);

    public Api LeadingGroup(string jurisdiction = World.City) => AsUser(jurisdiction, "leader-" + jurisdiction, PlatformRoles.LeadingGroup);

    public async Task<T> WithDb<T>(Func<PlanningDb, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PlanningDb>());
    }

    public Task<int> Count<TEntity>() where TEntity : class => WithDb(db => db.Set<TEntity>().CountAsync());

    /// <summary>Publishes as another service would (the service's own bus, so the message reaches its queues).</summary>
    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        Factory.Services.GetRequiredService<IBus>().Publish(message, c => { if (messageId is { } id) c.MessageId = id; });

    public async ValueTask DisposeAsync()
    {
        foreach (var c in clients) c.Dispose();
        await Factory.DisposeAsync();
    }
}
