using System.Net;
using System.Text.Json;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

/// <summary>Two planning instances probed every 100 ms.</summary>
public sealed class ProbedPlatform : IAsyncLifetime
{
    public EchoBackend A { get; private set; } = null!;
    public EchoBackend B { get; private set; } = null!;
    public Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await EchoBackend.StartAsync("planning-a");
        B = await EchoBackend.StartAsync("planning-b");
        var settings = Gateway.Routes(A, B);
        settings["Gateway:HealthChecks:Interval"] = "00:00:00.100";
        Gateway = Gateway.Start(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

public sealed class HealthCheckTests(ProbedPlatform platform) : IAsyncLifetime, IClassFixture<ProbedPlatform>
{
    private static readonly string Token = TestTokens.Mint("xuncha.planning");

    private async Task<(int Healthy, int Unhealthy)> Planning()
    {
        var health = JsonDocument.Parse(await (await platform.Gateway.GetAsync("/health")).Content.ReadAsStringAsync()).RootElement;
        var planning = health.GetProperty("clusters").GetProperty("planning");
        return (planning.GetProperty("healthy").GetInt32(), planning.GetProperty("unhealthy").GetInt32());
    }

    private Task WaitFor((int, int) expected) =>
        Eventually.Until(Planning, s => s == expected, TimeSpan.FromSeconds(10), $"planning destinations (healthy, unhealthy) = {expected}");

    // Each test starts and ends with both instances healthy and in rotation.
    public async Task InitializeAsync()
    {
        platform.A.Healthy = platform.B.Healthy = true;
        await WaitFor((2, 0));
    }

    public Task DisposeAsync() => InitializeAsync();

    [Fact]
    public async Task An_instance_failing_its_health_check_is_taken_out_of_rotation_and_returns_when_it_recovers()
    {
        platform.B.Healthy = false;
        await WaitFor((1, 1));

        var answered = new List<string>();
        for (var i = 0; i < 10; i++) answered.Add((await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Token))).Instance);
        Assert.All(answered, a => Assert.Equal("planning-a", a));

        platform.B.Healthy = true;
        await WaitFor((2, 0));
        var after = new List<string>();
        for (var i = 0; i < 4; i++) after.Add((await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Token))).Instance);
        Assert.Contains("planning-b", after);
    }

    [Fact]
    public async Task With_no_healthy_instance_requests_get_a_503_problem_and_the_gateway_reports_degraded()
    {
        platform.A.Healthy = platform.B.Healthy = false;
        await WaitFor((0, 2));

        await (await platform.Gateway.GetAsync("/api/planning/rounds", Token)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        var health = await platform.Gateway.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);   // still ready: other services are served
        Assert.Contains("\"status\":\"Degraded\"", await health.Content.ReadAsStringAsync());
    }
}
