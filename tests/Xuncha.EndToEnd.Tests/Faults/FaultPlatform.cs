using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Xuncha.EndToEnd.Tests.Faults;

/// <summary>
/// A platform of its own for the tests that break things (a broker stopped, a service killed, PostgreSQL restarted),
/// so no other test sees the damage. No demo data: the fault streams make what they count, and the start is shorter.
/// </summary>
public sealed class FaultPlatform : E2EPlatform
{
    protected override string[] Arguments => ["--no-demo"];

    /// <summary>
    /// The gateway probes each service every 2 s instead of 10 s: a service that recovered is back in rotation within
    /// seconds, so the tests wait for the service and not for the probe's schedule.
    /// </summary>
    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(base.Environment)
    {
        ["Gateway__HealthChecks__Interval"] = "00:00:02",
        ["Gateway__HealthChecks__Timeout"] = "00:00:02",
    };

    /// <summary>The dashboard's resource commands take a while (a broker boots in seconds on a busy machine): a client that waits.</summary>
    public HttpClient Operator { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Operator = new HttpClient { BaseAddress = Run.Dashboard.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Operator.DefaultRequestHeaders.Add("X-Xuncha-Dashboard", "1");
    }

    public override async Task DisposeAsync()
    {
        Operator?.Dispose();
        await base.DisposeAsync();
    }

    public async Task<JsonElement> ResourceAsync(string name) =>
        await Operator.GetFromJsonAsync<JsonElement>($"/api/resources/{name}");

    public async Task<string> StateAsync(string name) => (await ResourceAsync(name)).GetProperty("state").GetString()!;

    public async Task<int> PidAsync(string name) =>
        (await ResourceAsync(name)).GetProperty("pid") is { ValueKind: JsonValueKind.Number } pid
            ? pid.GetInt32()
            : throw new InvalidOperationException($"{name} has no process: {await ResourceAsync(name)}");

    public async Task<int?> PidOrNullAsync(string name) =>
        (await ResourceAsync(name)).GetProperty("pid") is { ValueKind: JsonValueKind.Number } pid ? pid.GetInt32() : null;

    /// <summary>
    /// After a failed test: whatever it left stopped or dead is started again, so the next test finds a whole platform.
    /// Never throws: the failure worth reading is the test's own.
    /// </summary>
    public async Task RecoverAsync(string name)
    {
        try
        {
            var state = await StateAsync(name);
            if (state == "stopping") await WaitStateAsync(name, "stopped", TimeSpan.FromSeconds(60));
            if (await StateAsync(name) is "stopped" or "exited" or "failed") await CommandAsync(name, "start");
            await WaitStateAsync(name, "healthy", TimeSpan.FromSeconds(120));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"recovering {name} after a failed fault test: {e.Message}");
        }
    }

    /// <summary>An operator's stop, start or restart through the dashboard; the command is accepted at once (202).</summary>
    public async Task CommandAsync(string name, string command)
    {
        using var response = await Operator.PostAsync($"/api/resources/{name}/{command}", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted,
            $"{command} {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits for a state; on timeout the message shows the whole resource (its error, exit code, pid).</summary>
    public async Task WaitStateAsync(string name, string state, TimeSpan timeout) =>
        await Eventually.Until(() => ResourceAsync(name), r => r.GetProperty("state").GetString() == state, timeout, $"{name} to be {state}");

    /// <summary>Every resource healthy again (the apphost's monitor probes each service's /health every 2 s).</summary>
    public async Task WaitAllHealthyAsync(TimeSpan timeout) =>
        await Eventually.Until(
            async () => string.Join(", ", (await Operator.GetFromJsonAsync<JsonElement[]>("/api/resources"))!
                .Where(r => r.GetProperty("state").GetString() != "healthy")
                .Select(r => $"{r.GetProperty("name").GetString()} {r.GetProperty("state").GetString()}")),
            notHealthy => notHealthy.Length == 0, timeout, "every resource healthy");

    /// <summary>The pid of every project replica (services, identity, gateway).</summary>
    public async Task<Dictionary<string, int>> ProjectPidsAsync() =>
        (await Operator.GetFromJsonAsync<JsonElement[]>("/api/resources"))!
            .Where(r => r.GetProperty("kind").GetString() == "project")
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("pid").GetInt32());
}

[CollectionDefinition(Name)]
public sealed class FaultPlatformCollection : ICollectionFixture<FaultPlatform>
{
    public const string Name = "fault platform";
}
