using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Xuncha.AppHost.Tests;

/// <summary>
/// The operator's stop and start (Aspire's resource commands) on the dashboard: any service replica, the RabbitMQ node
/// and the PostgreSQL cluster; a stopped resource stays stopped, and a server comes back with its data.
/// </summary>
[Collection(AppHostRuns.Name)]
public sealed class ResourceControlTests(RunningPlatform platform)
{
    private AppHostRun Run => platform.Run;

    [Fact]
    public async Task A_service_stops_on_request_stays_stopped_and_starts_again_and_wrong_requests_are_refused()
    {
        await WaitAllHealthyAsync();
        // The header guard (no cross-site trigger), unknown names, databases and wrong states.
        Assert.Equal(HttpStatusCode.Forbidden, (await Run.Dashboard.PostAsync("/api/resources/audit/stop", null)).StatusCode);
        await AssertProblemAsync(await ActAsync("nope", "stop"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await ActAsync("auditdb", "stop"), HttpStatusCode.Conflict);
        await AssertProblemAsync(await ActAsync("audit", "start"), HttpStatusCode.Conflict);
        var pid = (await Run.ResourceAsync("audit")).GetProperty("pid").GetInt32();

        Assert.Equal(HttpStatusCode.Accepted, (await ActAsync("audit", "stop")).StatusCode);
        await WaitStateAsync("audit", "stopped", TimeSpan.FromSeconds(30));
        var stopped = await Run.ResourceAsync("audit");
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("pid").ValueKind);
        Assert.False(Xuncha.Launcher.Posix.IsAlive(pid), $"audit's process {pid} still runs");
        await AssertProblemAsync(await ActAsync("audit", "stop"), HttpStatusCode.Conflict);
        // The monitor does not call it exited, and nothing starts it behind the operator's back.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal("stopped", (await Run.ResourceAsync("audit")).GetProperty("state").GetString());
        Assert.DoesNotContain("!! audit: Exited", Run.Output);
        var routed = (int)(await Run.Gateway.GetAsync("/api/audit/openapi/v1.json")).StatusCode;
        Assert.True(routed is 502 or 503, $"the gateway answered {routed} for a stopped service");

        Assert.Equal(HttpStatusCode.Accepted, (await ActAsync("audit", "start")).StatusCode);
        await WaitStateAsync("audit", "healthy", TimeSpan.FromSeconds(90));
        Assert.NotEqual(pid, (await Run.ResourceAsync("audit")).GetProperty("pid").GetInt32());
        await Eventually.Until(async () => (await Run.Gateway.GetAsync("/api/audit/openapi/v1.json")).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(40), "the gateway to route to audit again");
        var page = await Run.Dashboard.GetStringAsync("/");
        Assert.Contains("停止 Stop", page);
        Assert.Contains("启动 Start", page);
    }

    [Fact]
    public async Task The_broker_and_the_database_cluster_stop_and_start_with_their_data_and_the_services_keep_running()
    {
        await WaitAllHealthyAsync();
        var pids = await ProjectPidsAsync();
        var outputBefore = Run.Output.Length;

        // RabbitMQ: a durable queue with a persistent message survives the node's stop and start (same node, same data).
        using var management = new HttpClient { BaseAddress = new Uri((await Run.ResourceAsync("eventbus")).GetProperty("url").GetString()!) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        var queue = "resource-control-" + Guid.NewGuid().ToString("N")[..8];
        (await management.PutAsJsonAsync($"api/queues/%2F/{queue}", new { durable = true })).EnsureSuccessStatusCode();
        (await management.PostAsJsonAsync("api/exchanges/%2F/amq.default/publish", new
        {
            properties = new { delivery_mode = 2 }, routing_key = queue, payload = "巡察", payload_encoding = "string",
        })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await ActAsync("eventbus", "stop")).StatusCode);
        await WaitStateAsync("eventbus", "stopped", TimeSpan.FromSeconds(60));
        Assert.Equal(JsonValueKind.Null, (await Run.ResourceAsync("eventbus")).GetProperty("pid").ValueKind);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal("stopped", (await Run.ResourceAsync("eventbus")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await ActAsync("eventbus", "start")).StatusCode);
        await WaitStateAsync("eventbus", "healthy", TimeSpan.FromSeconds(120));
        var kept = await Eventually.Until(async () =>
            {
                try { return await management.GetFromJsonAsync<JsonElement>($"api/queues/%2F/{queue}"); }
                catch (HttpRequestException) { return default; }
            },
            q => q.ValueKind == JsonValueKind.Object && q.TryGetProperty("messages", out var m) && m.GetInt32() == 1,
            TimeSpan.FromSeconds(60), $"queue {queue} to hold its persistent message after the restart");
        Assert.Equal(1, kept.GetProperty("messages").GetInt32());
        await management.DeleteAsync($"api/queues/%2F/{queue}");

        // PostgreSQL: the cluster keeps its data dir (durable); its databases stop and start with it.
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = new Uri((await Run.ResourceAsync("postgres")).GetProperty("url").GetString()!).Port,
            Username = "postgres", Database = "postgres", Pooling = false,
        }.ConnectionString;
        var mark = Guid.NewGuid().ToString();
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            await using var write = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS resource_control (mark text); INSERT INTO resource_control VALUES ('{mark}')", conn);
            await write.ExecuteNonQueryAsync();
        }
        Assert.Equal(HttpStatusCode.Accepted, (await ActAsync("postgres", "stop")).StatusCode);
        await WaitStateAsync("postgres", "stopped", TimeSpan.FromSeconds(60));
        Assert.Equal("stopped", (await Run.ResourceAsync("identitydb")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await ActAsync("postgres", "start")).StatusCode);
        await WaitStateAsync("postgres", "healthy", TimeSpan.FromSeconds(60));
        await WaitStateAsync("identitydb", "healthy", TimeSpan.FromSeconds(30));
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            await using var read = new NpgsqlCommand($"SELECT count(*) FROM resource_control WHERE mark = '{mark}'", conn);
            Assert.Equal(1L, await read.ExecuteScalarAsync());
        }

        // Servers came and went under the services: they reconnect by themselves, as the same processes.
        await WaitAllHealthyAsync();
        Assert.Equal(pids, await ProjectPidsAsync());
        Assert.DoesNotContain("Exited", Run.Output[outputBefore..]);
    }

    private async Task<HttpResponseMessage> ActAsync(string name, string action)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/resources/{name}/{action}");
        request.Headers.Add("X-Xuncha-Dashboard", "1");
        return await Run.Dashboard.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<string> WaitStateAsync(string name, string state, TimeSpan timeout) =>
        Eventually.Until(async () => (await Run.ResourceAsync(name)).GetProperty("state").GetString()!, s => s == state, timeout, $"{name} to be {state}");

    private async Task WaitAllHealthyAsync() =>
        await Eventually.Until(
            async () => string.Join(", ", (await Run.ResourcesAsync()).Where(r => r.GetProperty("state").GetString() != "healthy")
                .Select(r => $"{r.GetProperty("name").GetString()} {r.GetProperty("state").GetString()}")),
            s => s.Length == 0, TimeSpan.FromSeconds(90), "every resource healthy");

    private async Task<Dictionary<string, int>> ProjectPidsAsync() =>
        (await Run.ResourcesAsync()).Where(r => r.GetProperty("kind").GetString() == "project")
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("pid").GetInt32());
}
