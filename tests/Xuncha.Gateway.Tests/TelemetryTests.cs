using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

public sealed class TelemetryTests : IAsyncLifetime
{
    private static readonly string Token = TestTokens.Mint("xuncha.planning");
    // AllData without Recorded: we see every span's tags but leave the export decision to the gateway's sampler.
    private readonly SpanRecorder spans = new(recorded: false);
    private ConcurrentBag<Activity> stopped => spans.Stopped;
    private readonly ConcurrentQueue<byte[]> exportedTraces = new();
    private EchoBackend planning = null!;
    private EchoBackend collector = null!;

    public async Task InitializeAsync()
    {
        planning = await EchoBackend.StartAsync("planning-a");
        // An OTLP/HTTP receiver that keeps the raw protobuf of each trace export.
        collector = await EchoBackend.StartAsync("collector", app =>
        {
            app.MapPost("/v1/traces", async (HttpContext http) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                exportedTraces.Enqueue(body.ToArray());
                return Results.Bytes([], "application/x-protobuf");
            });
            app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        });
    }

    public async Task DisposeAsync()
    {
        await planning.DisposeAsync();
        await collector.DisposeAsync();
        spans.Dispose();
    }

    [Fact]
    public async Task The_edge_server_span_carries_route_and_status_in_the_callers_trace()
    {
        await using var gateway = Gateway.Start(Gateway.Routes(planning));
        var traceId = ActivityTraceId.CreateRandom();

        await EchoBackend.ReadAsync(await gateway.GetAsync("/api/planning/rounds/7", Token,
            r => r.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01")));

        var server = await Eventually.Until(
            () => Task.FromResult(stopped.FirstOrDefault(a => a.TraceId == traceId && a.Kind == ActivityKind.Server && a.GetTagItem("url.path") as string == "/api/planning/rounds/7")),
            a => a is not null, TimeSpan.FromSeconds(5), "the gateway's server span");
        Assert.Equal("/api/planning/{**rest}", server!.GetTagItem("http.route"));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        Assert.Equal("GET /api/planning/{**rest}", server.DisplayName);
        // YARP's forwarding span and the HTTP call to the service hang under it in the same trace.
        Assert.Contains(stopped, a => a.TraceId == traceId && a.Kind == ActivityKind.Client && a.ParentSpanId != default);
    }

    [Fact]
    public async Task Active_health_probes_are_not_exported_but_proxied_calls_are()
    {
        var marker = "traced-" + Guid.NewGuid().ToString("N");
        var settings = Gateway.Routes(planning);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["Gateway:HealthChecks:Interval"] = "00:00:00.050";
        var gateway = Gateway.Start(settings);
        try
        {
            await Eventually.Until(() => Task.FromResult(planning.Probes), p => p >= 10, TimeSpan.FromSeconds(10), "ten health probes");
            await EchoBackend.ReadAsync(await gateway.GetAsync("/api/planning/" + marker, Token,
                r => r.Headers.TryAddWithoutValidation("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01")));
        }
        finally
        {
            await gateway.DisposeAsync();   // flushes the exporter
        }

        var exported = Encoding.UTF8.GetString(exportedTraces.SelectMany(b => b).ToArray());
        Assert.Contains(marker, exported);
        var probe = exported.IndexOf(planning.Url + "/health", StringComparison.Ordinal);
        Assert.True(probe < 0, "a probe span was exported: " + (probe < 0 ? "" : new string(exported.Substring(Math.Max(0, probe - 300), 600).Select(c => char.IsControl(c) ? '.' : c).ToArray())));
        // The probes did produce spans; the sampler kept them from export.
        Assert.Contains(stopped, a => a.GetTagItem("url.full") as string == planning.Url + "/health" && !a.Recorded);
    }
}
