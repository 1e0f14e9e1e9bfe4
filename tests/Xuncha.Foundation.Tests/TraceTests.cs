using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

[Collection(Servers.Name)]
public sealed class TraceTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly SpanRecorder spans = new();
    private ConcurrentBag<Activity> stopped => spans.Stopped;
    private TestHostInstance host = null!;

    public async Task InitializeAsync()
    {
        host = await TestHostInstance.StartAsync(servers);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        spans.Dispose();
    }

    [Fact]
    public async Task One_trace_runs_from_the_http_request_through_the_outbox_and_rabbitmq_to_the_consumer()
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notes") { Content = JsonContent.Create(new { title = "追踪", amount = 3 }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var consume = await Eventually.Until(
            () => Task.FromResult(stopped.FirstOrDefault(a => a.TraceId == traceId && a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && a.DisplayName.Contains("note-recorded"))),
            a => a is not null, TimeSpan.FromSeconds(20), "the consumer's span in the request's trace");

        var inTrace = stopped.Where(a => a.TraceId == traceId).ToList();
        var server = Assert.Single(inTrace, a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server);
        Assert.Equal("POST /notes/", server.DisplayName);
        Assert.Equal(201, server.GetTagItem("http.response.status_code"));

        // Walk up from the consumer: producer span, the outbox relay, and the request that wrote the outbox row.
        var byId = inTrace.ToDictionary(a => a.SpanId);
        var chain = new List<Activity>();
        for (var a = consume; a is not null; a = byId.GetValueOrDefault(a.ParentSpanId))
        {
            chain.Add(a);
        }
        Assert.Contains(chain, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer);
        Assert.Contains(chain, a => a.DisplayName == "outbox relay");
        Assert.Same(server, chain[^1]);
    }
}
