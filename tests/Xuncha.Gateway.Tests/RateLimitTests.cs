using System.Net;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

/// <summary>A gateway with tiny limits: three API calls per client, two public or identity calls per address, per minute.</summary>
public sealed class ThrottledPlatform : IAsyncLifetime
{
    public List<EchoBackend> Backends { get; } = [];
    public Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends.AddRange(await Task.WhenAll(new[] { "planning-a", "fieldwork-a", "rectification-a", "identity" }.Select(n => EchoBackend.StartAsync(n))));
        var settings = Gateway.Routes([.. Backends]);
        settings["Gateway:RateLimits:PerClient:PermitLimit"] = "3";
        settings["Gateway:RateLimits:Public:PermitLimit"] = "2";
        settings["Gateway:RateLimits:PerAddress:PermitLimit"] = "2";
        Gateway = Gateway.Start(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var backend in Backends) await backend.DisposeAsync();
    }
}

public sealed class RateLimitTests(ThrottledPlatform platform) : IClassFixture<ThrottledPlatform>
{
    private async Task<List<HttpResponseMessage>> Burst(int count, string path, string? token = null)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++) responses.Add(await platform.Gateway.GetAsync(path, token));
        return responses;
    }

    private static async Task AssertThrottled(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task A_burst_from_one_client_gets_429_with_retry_after_while_another_client_is_served()
    {
        var planning = platform.Backends.Single(b => b.Name == "planning-a");
        var before = planning.Requests;

        var burst = await Burst(5, "/api/planning/rounds", TestTokens.Mint("xuncha.planning", subject: "busy-client"));

        Assert.All(burst.Take(3), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var rejected in burst.Skip(3)) await AssertThrottled(rejected);
        Assert.Equal(before + 3, planning.Requests);
        var other = await platform.Gateway.GetAsync("/api/planning/rounds", TestTokens.Mint("xuncha.planning", subject: "quiet-client"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Public_intake_is_limited_per_address()
    {
        var burst = await Burst(3, "/api/fieldwork/public/reports");

        Assert.All(burst.Take(2), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertThrottled(burst[2]);
        // The budget is the address's, across every public route.
        await AssertThrottled(await platform.Gateway.GetAsync("/api/rectification/public/disclosures"));
    }

    [Fact]
    public async Task Identity_routes_are_limited_per_address()
    {
        var burst = await Burst(3, "/connect/authorize");

        Assert.All(burst.Take(2), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertThrottled(burst[2]);
    }
}
