using System.Diagnostics;
using System.Net;
using Xuncha.Launcher;
using Xunit.Abstractions;

namespace Xuncha.EndToEnd.Tests.Faults;

/// <summary>
/// Faults in the middle of a stream of commands (clues → ClueReturnedAsProblem → rectification), each recovered
/// through the apphost's dashboard as an operator would: every event committed by the producer has exactly one effect
/// downstream afterwards.
/// </summary>
[Collection(FaultPlatformCollection.Name)]
public sealed class FaultTests(FaultPlatform platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RabbitMQ_stopped_for_30_s_mid_stream_loses_and_duplicates_nothing()
    {
        await platform.WaitAllHealthyAsync(TimeSpan.FromSeconds(90));
        using var officer = await platform.AsUserAsync("demo.clue-officer");
        var stream = new ClueStream(platform, "MQ");
        var parked = await stream.ParkedAsync();
        int beforeOutage = 0, duringOutage = 0;
        await DuringStreamAsync(stream, officer, "eventbus", async () =>
        {
            await stream.WaitAcceptedAsync(3, TimeSpan.FromSeconds(60));
            await platform.CommandAsync("eventbus", "stop");
            await platform.WaitStateAsync("eventbus", "stopped", TimeSpan.FromSeconds(60));
            Assert.Null(await platform.PidOrNullAsync("eventbus"));
            beforeOutage = stream.Accepted;
            await Task.Delay(TimeSpan.FromSeconds(30));
            duringOutage = stream.Accepted - beforeOutage;
            // Still stopped after 30 s: nothing restarted it behind the operator's back.
            Assert.Equal("stopped", await platform.StateAsync("eventbus"));

            await platform.CommandAsync("eventbus", "start");
            await platform.WaitStateAsync("eventbus", "healthy", TimeSpan.FromSeconds(120));
            await stream.WaitAcceptedAsync(stream.Accepted + 3, TimeSpan.FromSeconds(60));
        });
        // The outbox is what lets commands go on while the broker is away.
        Assert.True(duringOutage > 0, $"no command was accepted during the broker's outage; refusals: {string.Join(" | ", stream.Refusals.Take(5))}");
        output.WriteLine($"{duringOutage} commands accepted while the broker was stopped");
        var delivered = await stream.AssertDeliveredExactlyOnceAsync(parked, Delivery);
        output.WriteLine($"{stream.Name}: {stream.Sent} commands sent, {stream.Accepted} accepted, {stream.Refusals.Count} refused, {delivered} cases each with one problem");
    }

    [Fact]
    public async Task A_consumer_killed_with_SIGKILL_mid_stream_and_restarted_loses_and_duplicates_nothing()
    {
        await platform.WaitAllHealthyAsync(TimeSpan.FromSeconds(90));
        using var officer = await platform.AsUserAsync("demo.clue-officer");
        var stream = new ClueStream(platform, "KILL");
        var parked = await stream.ParkedAsync();
        var pid = await platform.PidAsync("rectification");
        await DuringStreamAsync(stream, officer, "rectification", async () =>
        {
            await stream.WaitAcceptedAsync(5, TimeSpan.FromSeconds(60));
            // kill -9: no shutdown hook runs; whatever the consumer held unacknowledged comes back from the queue.
            Assert.True(Posix.KillHard(pid), $"kill -9 {pid} failed");
            await platform.WaitStateAsync("rectification", "exited", TimeSpan.FromSeconds(30));
            var exited = await platform.ResourceAsync("rectification");
            Assert.Equal(137, exited.GetProperty("exitCode").GetInt32());   // 128 + SIGKILL
            // Commands go on while the consumer is gone; their events wait in its queue.
            await stream.WaitAcceptedAsync(stream.Accepted + 3, TimeSpan.FromSeconds(60));
            Assert.Equal("exited", await platform.StateAsync("rectification"));

            await platform.CommandAsync("rectification", "restart");
            await platform.WaitStateAsync("rectification", "healthy", TimeSpan.FromSeconds(120));
            Assert.NotEqual(pid, await platform.PidAsync("rectification"));
            await stream.WaitAcceptedAsync(stream.Accepted + 3, TimeSpan.FromSeconds(60));
        });
        var delivered = await stream.AssertDeliveredExactlyOnceAsync(parked, Delivery);
        output.WriteLine($"{stream.Name}: {stream.Sent} commands sent, {stream.Accepted} accepted, {stream.Refusals.Count} refused, {delivered} cases each with one problem");
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_stream_the_services_recover_without_a_restart_of_their_own()
    {
        await platform.WaitAllHealthyAsync(TimeSpan.FromSeconds(90));
        // Signed in before the outage: identity keeps its users in the same cluster.
        using var officer = await platform.AsUserAsync("demo.clue-officer");
        (await platform.AsUserAsync("demo.rectification-supervisor")).Dispose();
        (await platform.AsUserAsync("demo.platform-admin")).Dispose();
        var pids = await platform.ProjectPidsAsync();
        var stream = new ClueStream(platform, "PG");
        var parked = await stream.ParkedAsync();
        var probes = new List<string>();
        var recovery = TimeSpan.Zero;
        DateTime outageFrom = default, outageTo = default;
        await DuringStreamAsync(stream, officer, "postgres", async () =>
        {
            await stream.WaitAcceptedAsync(3, TimeSpan.FromSeconds(60));
            outageFrom = DateTime.UtcNow;
            await platform.CommandAsync("postgres", "stop");
            await platform.WaitStateAsync("postgres", "stopped", TimeSpan.FromSeconds(60));
            Assert.Equal("stopped", await platform.StateAsync("cluesdb"));

            // During the outage every request is answered promptly with a ProblemDetails: no hang, no fake success.
            for (var i = 0; i < 8; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await officer.GetAsync("/api/clues/clues?limit=1");
                var body = await response.Content.ReadAsStringAsync();
                probes.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} in {clock.ElapsedMilliseconds} ms");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"a request during the outage took {clock.Elapsed.TotalSeconds:0.0} s");
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"during the outage: {probes[^1]}: {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                await Task.Delay(1000);
            }

            await platform.CommandAsync("postgres", "start");
            await platform.WaitStateAsync("postgres", "healthy", TimeSpan.FromSeconds(60));
            outageTo = DateTime.UtcNow;
            var back = Stopwatch.StartNew();
            await Eventually.Until(async () => (await officer.GetAsync("/api/clues/clues?limit=1")).StatusCode,
                s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "clues to answer again after PostgreSQL's restart");
            recovery = back.Elapsed;
            await stream.WaitAcceptedAsync(stream.Accepted + 3, TimeSpan.FromSeconds(60));
        });
        await platform.WaitAllHealthyAsync(TimeSpan.FromSeconds(60));
        // Recovered on their own: the same processes as before the outage, for every service, identity and the gateway.
        Assert.Equal(pids, await platform.ProjectPidsAsync());
        Assert.True(recovery < TimeSpan.FromSeconds(30), $"clues needed {recovery.TotalSeconds:0.0} s after PostgreSQL was back");
        output.WriteLine($"during the outage: {string.Join("; ", probes)}; clues answered again {recovery.TotalSeconds:0.0} s after PostgreSQL was healthy");
        // A command sent while the database was away is refused promptly, not held until it returns. (Outside the outage a
        // busy machine may be slow; that is not what this test is about.)
        var held = stream.Slow.Where(s => s.At >= outageFrom && s.At <= outageTo && s.Took > TimeSpan.FromSeconds(10))
            .Select(s => $"{s.Step} at {s.At:HH:mm:ss.f} took {s.Took.TotalSeconds:0.0} s").ToList();
        Assert.True(held.Count == 0, $"requests held during the outage ({outageFrom:HH:mm:ss.f}–{outageTo:HH:mm:ss.f}): {string.Join("; ", held)}");
        var delivered = await stream.AssertDeliveredExactlyOnceAsync(parked, Delivery);
        output.WriteLine($"{stream.Name}: {stream.Sent} commands sent, {stream.Accepted} accepted, {stream.Refusals.Count} refused, {delivered} cases each with one problem");
    }

    /// <summary>
    /// Runs the command stream while <paramref name="fault"/> breaks and mends <paramref name="resource"/>; if the fault
    /// step fails, the stream stops and the resource is brought back before the failure propagates.
    /// </summary>
    private async Task DuringStreamAsync(ClueStream stream, HttpClient officer, string resource, Func<Task> fault)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var running = stream.RunAsync(officer, stop.Token);
        try
        {
            await fault();
        }
        catch
        {
            await stop.CancelAsync();
            await running;
            await platform.RecoverAsync(resource);
            throw;
        }
        await stop.CancelAsync();
        await running;
    }
}
