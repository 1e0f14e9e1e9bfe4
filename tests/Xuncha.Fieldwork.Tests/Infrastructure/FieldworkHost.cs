using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xuncha.Fieldwork.Data;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Fieldwork.Tests.Infrastructure;

/// <summary>The fieldwork service in-process on a fresh database and virtual host of the real servers.</summary>
public sealed class FieldworkFactory(IReadOnlyDictionary<string, string?> settings, ShiftedClock clock, LogSink logs) : ServiceFactory<Program>(settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton<IStartupFilter, LoopbackPeer>();
        });
    }

    /// <summary>The test server has no peer address; make it the loopback proxy, so X-Forwarded-For is believed as from the gateway.</summary>
    private sealed class LoopbackPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class FieldworkHost : IAsyncLifetime
{
    public const string Audience = "xuncha.fieldwork";
    public const int SubmissionsPerWindow = 5;
    private readonly PlatformServers servers;
    private FieldworkFactory? factory;

    public FieldworkHost(PlatformServers servers) => this.servers = servers;

    public ShiftedClock Clock { get; } = new();
    public LogSink Logs { get; } = new();
    public FieldworkFactory Factory => factory ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var db = await servers.CreateDatabaseAsync("fw");
        var amqp = await servers.CreateVirtualHostAsync("fw");
        factory = new FieldworkFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:fieldworkdb"] = db,
            ["ConnectionStrings:eventbus"] = amqp,
            ["Database:MigrateOnStart"] = "true",
            ["Outbox:PollMilliseconds"] = "200",
            ["Fieldwork:ReporterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Fieldwork:Intake:SubmissionsPerWindow"] = SubmissionsPerWindow.ToString(),
            ["Fieldwork:Intake:MaxAttachmentBytes"] = "65536",
            ["Fieldwork:PublicBaseUrl"] = "https://xuncha.example.cn",
        }, Clock, Logs);
        using var _ = factory.CreateClient();
        // Wait until the bus is up, so published test events are consumed.
        await factory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (factory is not null) await factory.DisposeAsync();
    }

    public HttpClient Anonymous(string? address = null)
    {
        var client = Factory.CreateClient();
        if (address is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    public HttpClient As(string subject, string jurisdiction = "demo-city-luonan", string[]? roles = null, string audience = Audience, bool asClient = false)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.Mint(audience, subject, roles ?? [], jurisdiction, agency: asClient ? "audit-bureau" : "inspection-office"));
        return client;
    }

    public Task Publish<T>(T message) where T : class => Factory.Services.GetRequiredService<IBus>().Publish(message);

    public async Task<T> WithDb<T>(Func<FieldworkDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<FieldworkDb>());
    }

    /// <summary>Events this service wrote to its outbox, by type name, as JSON.</summary>
    public Task<List<JsonElement>> OutboxAsync(string typeName) => WithDb(async db =>
        (await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType.Contains(typeName)).OrderBy(m => m.Sequence).ToListAsync())
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone()).ToList());

    public Task<List<string>> AllOutboxPayloadsAsync() => WithDb(db => db.Set<OutboxMessage>().AsNoTracking().Select(m => m.Payload).ToListAsync());
}

public static class Http
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.Json(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static async Task<JsonElement> PostJson(this HttpClient client, string url, object body, HttpStatusCode expected) =>
        await (await client.PostAsJsonAsync(url, body)).Json(expected);

    public static async Task<JsonElement> GetJson(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(url)).Json(expected);

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
