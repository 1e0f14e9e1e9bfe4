using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Foundation.TestHost.Notes;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

/// <summary>The test host on a fresh database and virtual host of the shared real servers.</summary>
public sealed class TestHostInstance : IAsyncDisposable
{
    private TestHostInstance(ServiceFactory<Program> factory, string database, string eventBus)
    {
        Factory = factory;
        Database = database;
        EventBus = eventBus;
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token([PlatformRoles.OfficeCoordinator]));
    }

    public ServiceFactory<Program> Factory { get; }
    public string Database { get; }
    public string EventBus { get; }
    public HttpClient Client { get; }

    public static string Token(IEnumerable<string> roles) => TestTokens.Mint(JwtAuthentication.AudienceFor("testhost"), roles: roles);

    public static async Task<TestHostInstance> StartAsync(PlatformServers servers, IDictionary<string, string?>? extra = null, string? database = null, string? eventBus = null)
    {
        database ??= await servers.CreateDatabaseAsync("foundation");
        eventBus ??= await servers.CreateVirtualHostAsync("foundation");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:testhostdb"] = database,
            ["ConnectionStrings:eventbus"] = eventBus,
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "250",
            ["Outbox:PublishTimeoutSeconds"] = "3",
            ["EventBus:RetryMilliseconds:0"] = "20",
            ["EventBus:RetryMilliseconds:1"] = "50",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = new TestHostInstance(new ServiceFactory<Program>(settings), database, eventBus);
        await host.Client.WaitHealthyAsync();
        return host;
    }

    public async Task<T> WithDb<T>(Func<NotesDb, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotesDb>());
    }

    public Task<int> EffectCount() => WithDb(db => db.Effects.CountAsync());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
