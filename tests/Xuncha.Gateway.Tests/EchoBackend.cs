using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Xuncha.Gateway.Tests;

/// <summary>What a backend saw of one request.</summary>
public sealed record Echo(string Instance, string Method, string Path, string Query, Dictionary<string, string> Headers, long BodyLength);

/// <summary>
/// A stand-in service on a real Kestrel port: answers every path with an <see cref="Echo"/> of the request it received,
/// and /health with 200 or 503 as the test decides.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;
    private int probes;

    private EchoBackend(string name, WebApplication app)
    {
        Name = name;
        this.app = app;
    }

    public string Name { get; }
    public string Url { get; private set; } = "";
    public bool Healthy { get; set; } = true;

    /// <summary>Requests other than health probes that arrived whole (an aborted upload is not counted).</summary>
    public int Requests => Volatile.Read(ref requests);
    public int Probes => Volatile.Read(ref probes);

    public static async Task<EchoBackend> StartAsync(string name, Action<WebApplication>? extraEndpoints = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Limits.MaxRequestBodySize = null);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new EchoBackend(name, app);
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref backend.probes);
            return backend.Healthy ? Results.Text("Healthy") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        extraEndpoints?.Invoke(app);
        app.Map("{**path}", (Func<HttpContext, Task<IResult>>)backend.EchoAsync);
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return backend;
    }

    private async Task<IResult> EchoAsync(HttpContext context)
    {
        long length = 0;
        var buffer = new byte[64 * 1024];
        for (int read; (read = await context.Request.Body.ReadAsync(buffer)) > 0;) length += read;
        Interlocked.Increment(ref requests);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        return Results.Json(new Echo(Name, context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, length));
    }

    public static async Task<Echo> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<Echo>(text, JsonSerializerOptions.Web)!;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
