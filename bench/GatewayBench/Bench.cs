using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Mvc.Testing;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;
using Yarp.ReverseProxy.Transforms;

namespace Xuncha.Bench.GatewayBench;

/// <summary>
///   backend &lt;port&gt;                              the service behind every target: GET /rounds/{id} → a small JSON body
///   identity &lt;port&gt; &lt;tokenFile&gt;                 discovery + JWKS of the test key; writes a planning token
///   yarp &lt;port&gt; &lt;backendUrl&gt;                     YARP alone, one route: the proxy's own cost
///   load &lt;url&gt; &lt;connections&gt; &lt;seconds&gt; [token]  fallback load generator (wrk-style output) when wrk is not installed
/// </summary>
public static class Bench
{
    public static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "backend" => await Backend(int.Parse(args[1], CultureInfo.InvariantCulture)),
        "identity" => await IdentityStub(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]),
        "yarp" => await BareYarp(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]),
        "load" => await Load(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args.ElementAtOrDefault(4)),
        _ => Usage(),
    };

    private sealed record Round(int Id, string Name, string Status, DateOnly Starts);

    private static async Task<int> Backend(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // Like every real service, the backend validates the bearer token itself (defence in depth), direct or proxied.
        builder.AddJwtAuthentication("planning");
        builder.Services.TrustTestTokens();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => "Healthy").AllowAnonymous();
        app.MapGet("/rounds/{id:int}", (int id) => new Round(id, "2026年第一轮巡察 First round", "in-progress", new DateOnly(2026, 3, 1)));
        await app.StartAsync();
        await Terminated();
        await app.StopAsync();
        return 0;
    }

    /// <summary>
    /// Reference row: YARP alone (one route, no authentication, limits or header policy) — separates the proxy's own
    /// cost on this machine from what the gateway's edge policy adds.
    /// </summary>
    private static async Task<int> BareYarp(int port, string backendUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new Yarp.ReverseProxy.Configuration.RouteConfig { RouteId = "planning", ClusterId = "planning", Match = new() { Path = "/api/planning/{**rest}" } }
                .WithTransformPathRemovePrefix("/api/planning")],
            [new Yarp.ReverseProxy.Configuration.ClusterConfig { ClusterId = "planning", Destinations = new Dictionary<string, Yarp.ReverseProxy.Configuration.DestinationConfig> { ["d"] = new() { Address = backendUrl } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        await Terminated();
        await app.StopAsync();
        return 0;
    }

    /// <summary>
    /// Discovery and JWKS for the test key, so the gateway runs as its own process (as deployed) and validates tokens
    /// exactly as it would against the identity service; writes a planning token for the load generator.
    /// </summary>
    private static async Task<int> IdentityStub(int port, string tokenFile)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = TestTokens.Issuer,
            ["jwks_uri"] = $"http://127.0.0.1:{port}/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/.well-known/jwks.json", () => Results.Json(TestTokens.JsonWebKeySet()));
        await app.StartAsync();
        await File.WriteAllTextAsync(tokenFile, TestTokens.Mint("xuncha.planning", lifetime: TimeSpan.FromHours(1)));
        await Terminated();
        await app.StopAsync();
        return 0;
    }

    private static async Task<int> Load(string url, int connections, int seconds, string? token)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var failed = 0;
        var perConnection = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failed);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return latencies;
        })));
        var all = perConnection.SelectMany(l => l).Order().ToArray();
        double At(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        // The same lines bench/gateway.sh reads from wrk.
        Console.WriteLine(FormattableString.Invariant($"     50%    {At(0.50):0.00}ms"));
        Console.WriteLine(FormattableString.Invariant($"     99%    {At(0.99):0.00}ms"));
        if (failed > 0) Console.WriteLine($"  Non-2xx or 3xx responses: {failed}");
        Console.WriteLine(FormattableString.Invariant($"Requests/sec: {all.Length / (double)seconds:0.00}"));
        return 0;
    }

    // Registrations are unregistered when collected: keep them for the process lifetime.
    private static readonly List<PosixSignalRegistration> Signals = [];

    private static Task Terminated()
    {
        var stop = new TaskCompletionSource();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            Signals.Add(PosixSignalRegistration.Create(signal, c => { c.Cancel = true; stop.TrySetResult(); }));
        }
        return stop.Task;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: GatewayBench backend <port> | gateway <port> <backendUrl> <tokenFile> | load <url> <connections> <seconds> [token]");
        return 2;
    }
}
