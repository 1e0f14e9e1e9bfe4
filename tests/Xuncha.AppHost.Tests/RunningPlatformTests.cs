using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Xuncha.AppHost.Otlp.Proto;
using Xuncha.Launcher;

namespace Xuncha.AppHost.Tests;

[Collection(AppHostRuns.Name)]
public sealed class RunningPlatformTests(RunningPlatform platform)
{
    private AppHostRun Run => platform.Run;

    [Fact]
    public async Task Every_resource_of_the_graph_is_healthy_with_a_process_and_its_memory()
    {
        var resources = await Run.ResourcesAsync();
        var names = resources.Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("postgres", names);
        Assert.Contains("eventbus", names);
        Assert.Contains("identitydb", names);
        Assert.Contains("identity", names);
        Assert.Contains("gateway", names);
        // Every service whose project exists joins the graph with its database.
        foreach (var (service, folder, db) in new[] { ("planning", "services/planning", "planningdb"), ("staffing", "services/staffing", "staffingdb") })
        {
            if (!Directory.Exists(Path.Combine(AppHostRun.RepoRoot, folder))) continue;
            Assert.Contains(service, names);
            Assert.Contains(db, names);
        }
        foreach (var r in resources)
        {
            Assert.True(r.GetProperty("state").GetString() == "healthy", $"{r.GetProperty("name")} is {r.GetProperty("state")}");
            if (r.GetProperty("kind").GetString() is "project" or "postgres" or "rabbitmq")
            {
                Assert.True(r.GetProperty("pid").GetInt32() > 0);
                Assert.True(r.GetProperty("memoryBytes").GetInt64() > 1_000_000, $"{r.GetProperty("name")} memory {r.GetProperty("memoryBytes")}");
                Assert.Matches("^(http|postgresql)://127.0.0.1:", r.GetProperty("url").GetString());
            }
        }
        // The start-up time is measured and printed.
        Assert.Matches($@"all {resources.Length} resources healthy in \d+\.\d s", Run.Output);
    }

    [Fact]
    public async Task The_gateway_serves_discovery_from_the_identity_started_by_the_apphost()
    {
        var discovery = await Run.Gateway.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal(Run.Gateway.BaseAddress!.ToString().TrimEnd('/'), discovery.GetProperty("issuer").GetString());
        var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Run.Data, "dev-credentials.json")));
        Assert.NotEmpty(credentials.RootElement.GetProperty("clients").EnumerateArray());
    }

    [Fact]
    public async Task The_otlp_receiver_decodes_the_spans_a_real_service_sends_and_links_them_across_processes()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var parent = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
        (await Run.Gateway.SendAsync(request)).EnsureSuccessStatusCode();

        JsonElement[] spans = [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await Run.Dashboard.GetAsync($"/api/traces/{traceId}");
            if (response.IsSuccessStatusCode)
            {
                spans = (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
                // Each process exports on its own schedule: wait for both server spans and the proxy's client span.
                if (spans.Any(s => s.GetProperty("service").GetString() == "identity" && s.GetProperty("kind").GetString() == "server")
                    && spans.Count(s => s.GetProperty("service").GetString() == "gateway") >= 2) break;
            }
            await Task.Delay(500);
        }
        // The edge span continues the caller's traceparent.
        var edge = Assert.Single(spans, s => s.GetProperty("parentSpanId").GetString() == parent);
        Assert.Equal("gateway", edge.GetProperty("service").GetString());
        Assert.Equal("server", edge.GetProperty("kind").GetString());
        var backend = Assert.Single(spans, s => s.GetProperty("service").GetString() == "identity" && s.GetProperty("kind").GetString() == "server");
        // identity's server span hangs under a gateway span (the proxy's forwarding client span).
        var backendParent = spans.Single(s => s.GetProperty("spanId").GetString() == backend.GetProperty("parentSpanId").GetString());
        Assert.Equal("gateway", backendParent.GetProperty("service").GetString());
        Assert.Equal("200", edge.GetProperty("attributes").GetProperty("http.response.status_code").GetString());

        var summary = (await Run.Dashboard.GetFromJsonAsync<JsonElement[]>("/api/traces?limit=1000"))!
            .Single(t => t.GetProperty("traceId").GetString() == traceId);
        Assert.Equal(["gateway", "identity"], summary.GetProperty("services").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.StartsWith("gateway: GET", summary.GetProperty("root").GetString());
        Assert.True(summary.GetProperty("durationMs").GetDouble() > 0);
        Assert.False(summary.GetProperty("error").GetBoolean());
    }

    [Fact]
    public async Task The_receiver_keeps_a_span_it_is_sent_and_refuses_what_is_not_otlp_protobuf()
    {
        var traceId = Guid.NewGuid().ToByteArray();
        var export = new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "probe" } } } },
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Spans =
                            {
                                new Span
                                {
                                    TraceId = ByteString.CopyFrom(traceId), SpanId = ByteString.CopyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
                                    Name = "巡察 probe", Kind = Span.Types.SpanKind.Server, StartTimeUnixNano = 1_000_000_000, EndTimeUnixNano = 1_250_000_000,
                                    Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" },
                                },
                            },
                        },
                    },
                },
            },
        };
        var ok = await Run.Dashboard.PostAsync("/v1/traces", Protobuf(export.ToByteArray()));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/x-protobuf", ok.Content.Headers.ContentType?.MediaType);
        var summary = (await Run.Dashboard.GetFromJsonAsync<JsonElement[]>("/api/traces?service=probe"))!.Single();
        Assert.Equal(Convert.ToHexStringLower(traceId), summary.GetProperty("traceId").GetString());
        Assert.Equal("probe: 巡察 probe", summary.GetProperty("root").GetString());
        Assert.Equal(250, summary.GetProperty("durationMs").GetDouble());
        Assert.True(summary.GetProperty("error").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await Run.Dashboard.PostAsync("/v1/traces", Protobuf([0x0a, 0xff, 0xff, 0xff]))).StatusCode);
        var json = await Run.Dashboard.PostAsync("/v1/traces", JsonContent.Create(new { resourceSpans = Array.Empty<object>() }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var huge = await Run.Dashboard.PostAsync("/v1/traces", Protobuf(new byte[9 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task A_killed_service_shows_as_exited_with_its_code_and_last_lines_until_restarted_on_request()
    {
        var before = await Run.ResourceAsync("gateway");
        var pid = before.GetProperty("pid").GetInt32();
        Assert.True(Posix.KillHard(pid));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        var state = "";
        while (DateTime.UtcNow < deadline && state != "exited")
        {
            await Task.Delay(500);
            state = (await Run.ResourceAsync("gateway")).GetProperty("state").GetString()!;
        }
        var exited = await Run.ResourceAsync("gateway");
        Assert.Equal("exited", exited.GetProperty("state").GetString());
        Assert.Equal(137, exited.GetProperty("exitCode").GetInt32());   // 128 + SIGKILL
        Assert.Equal(JsonValueKind.Null, exited.GetProperty("pid").ValueKind);
        // Nothing restarts silently: still exited a few seconds later.
        await Task.Delay(4000);
        Assert.Equal("exited", (await Run.ResourceAsync("gateway")).GetProperty("state").GetString());
        Assert.Contains("!! gateway: Exited", Run.Output);

        // A restart needs the dashboard's header (no cross-site trigger), and names only services.
        Assert.Equal(HttpStatusCode.Forbidden, (await Run.Dashboard.PostAsync("/api/resources/gateway/restart", null)).StatusCode);
        using var restart = new HttpRequestMessage(HttpMethod.Post, "/api/resources/gateway/restart");
        restart.Headers.Add("X-Xuncha-Dashboard", "1");
        Assert.Equal(HttpStatusCode.Accepted, (await Run.Dashboard.SendAsync(restart)).StatusCode);
        using var notProject = new HttpRequestMessage(HttpMethod.Post, "/api/resources/postgres/restart");
        notProject.Headers.Add("X-Xuncha-Dashboard", "1");
        Assert.Equal(HttpStatusCode.Conflict, (await Run.Dashboard.SendAsync(notProject)).StatusCode);

        deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && state != "healthy")
        {
            await Task.Delay(500);
            state = (await Run.ResourceAsync("gateway")).GetProperty("state").GetString()!;
        }
        Assert.Equal("healthy", state);
        Assert.NotEqual(pid, (await Run.ResourceAsync("gateway")).GetProperty("pid").GetInt32());
        (await Run.Gateway.GetAsync("/.well-known/openid-configuration")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Console_output_is_kept_per_resource_and_read_incrementally()
    {
        var all = (await Run.Dashboard.GetFromJsonAsync<JsonElement[]>("/api/resources/identity/logs"))!;
        Assert.NotEmpty(all);
        Assert.Contains(all, l => l.GetProperty("text").GetString()!.Contains("--migrate"));
        var last = all[^1].GetProperty("seq").GetInt64();
        var newer = (await Run.Dashboard.GetFromJsonAsync<JsonElement[]>($"/api/resources/identity/logs?after={last}"))!;
        Assert.All(newer, l => Assert.True(l.GetProperty("seq").GetInt64() > last));
        Assert.Equal(HttpStatusCode.NotFound, (await Run.Dashboard.GetAsync("/api/resources/nope/logs")).StatusCode);
        var page = await Run.Dashboard.GetStringAsync("/");
        Assert.Contains("资源 Resources", page);
        Assert.Contains("链路追踪 Traces", page);
    }

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }
}

/// <summary>The platform as one system: every service reachable through the gateway, accepting identity's real tokens.</summary>
[Collection(AppHostRuns.Name)]
public sealed class ThroughTheGatewayTests(RunningPlatform platform)
{
    public static TheoryData<string> Services => ["planning", "staffing", "fieldwork", "clues", "audit", "rectification"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_service_publishes_its_openapi_document_and_accepts_a_real_agency_token(string service)
    {
        var run = platform.Run;
        var document = await run.Gateway.GetFromJsonAsync<JsonElement>($"/api/{service}/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().ToList();
        Assert.NotEmpty(paths);

        // The county inspection office's system client holds every API scope (development seed).
        var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Data, "dev-credentials.json"))).RootElement;
        var client = credentials.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("client_id").GetString() == "county-office-system");
        var token = await run.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "county-office-system",
            ["client_secret"] = client.GetProperty("client_secret").GetString()!, ["scope"] = service,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();

        // A GET without path parameters, chosen from the service's own document (not the public or ops ones).
        var path = paths.Select(p => p.Name)
            .First(p => !p.Contains('{') && !p.StartsWith("/public") && !p.StartsWith("/ops") && !p.Contains("health") && !p.Contains("alive")
                        && paths.First(x => x.Name == p).Value.TryGetProperty("get", out _));
        using var anonymous = await run.Gateway.GetAsync($"/api/{service}{path}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/{service}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await run.Gateway.SendAsync(request);
        // Accepted by the edge and by the service (2xx; or 400/403/404 from the service's own rules) — never 401 or 5xx.
        var status = (int)response.StatusCode;
        Assert.True(status < 500 && status != 401, $"GET /api/{service}{path} → {status}: {await response.Content.ReadAsStringAsync()}");
    }
}
