using System.Text.Json;
using Xuncha.Launcher;

namespace Xuncha.AppHost.Tests;

/// <summary>A run of its own: replicas behind the gateway, then SIGTERM must leave no process behind.</summary>
[Collection(AppHostRuns.Name)]
public sealed class ShutdownTests
{
    [Fact]
    public async Task Replicas_both_serve_and_sigterm_stops_every_child_and_both_servers()
    {
        await using var run = await AppHostRun.StartAsync("--replicas", "identity=2", "--no-demo");
        await run.WaitUpAsync(TimeSpan.FromMinutes(3));

        var replicas = (await run.ResourcesAsync()).Where(r => r.GetProperty("name").GetString()!.StartsWith("identity-")).ToList();
        Assert.Equal(2, replicas.Count);
        var replicaPids = replicas.Select(r => r.GetProperty("pid").GetInt32()).ToHashSet();

        // Both replicas take traffic through the gateway: the spans name the process that served them.
        var instances = new HashSet<string>();
        for (var i = 0; i < 40 && instances.Count < 2; i++)
        {
            var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
            request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue)))}-01");
            (await run.Gateway.SendAsync(request)).EnsureSuccessStatusCode();
            await Task.Delay(i < 4 ? 100 : 1000);
            var response = await run.Dashboard.GetAsync($"/api/traces/{traceId}");
            if (!response.IsSuccessStatusCode) continue;
            foreach (var span in (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement[]>(response.Content))!)
            {
                if (span.GetProperty("service").GetString() == "identity" && span.GetProperty("instance").GetString() is { } instance)
                    instances.Add(instance);
            }
        }
        Assert.Equal(2, instances.Count);
        Assert.All(instances, i => Assert.Contains(int.Parse(i.Split(':')[^1]), replicaPids));

        var tree = AppHostRun.Tree(run.ProcessId);
        var servers = (await run.ResourcesAsync()).Where(r => r.GetProperty("kind").GetString() is "postgres" or "rabbitmq")
            .SelectMany(r => AppHostRun.Tree(r.GetProperty("pid").GetInt32())).ToList();
        Assert.True(tree.Count >= 6, $"expected the apphost's children, saw {tree.Count} processes");
        Assert.NotEmpty(servers);

        Assert.Equal(0, await run.StopAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("stopped", run.Output);
        // PostgreSQL runs as another user and the broker is a tree of its own: check every pid seen, not just children.
        // Erlang's port helpers (inet_gethost) end a moment after the VM; give them a few seconds, not forever.
        var seen = tree.Concat(servers).Distinct().ToList();
        var alive = seen.Where(Posix.IsAlive).ToList();
        for (var i = 0; i < 20 && alive.Count > 0; i++)
        {
            await Task.Delay(500);
            alive = seen.Where(Posix.IsAlive).ToList();
        }
        Assert.True(alive.Count == 0, "still running: " + string.Join(", ", alive.Select(p => $"{p} {Comm(p)}")));
    }

    private static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); } catch (IOException) { return "?"; }
    }
}
