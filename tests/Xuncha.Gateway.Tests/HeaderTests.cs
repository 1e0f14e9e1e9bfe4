using System.Diagnostics;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

public sealed class PlanningOnly : IAsyncLifetime
{
    public EchoBackend Planning { get; private set; } = null!;
    public Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Planning = await EchoBackend.StartAsync("planning-a");
        Gateway = Gateway.Start(Gateway.Routes(Planning));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Planning.DisposeAsync();
    }
}

public sealed class HeaderTests(PlanningOnly platform) : IClassFixture<PlanningOnly>
{
    private static readonly string Token = TestTokens.Mint("xuncha.planning");

    [Fact]
    public async Task Identity_headers_a_client_makes_up_never_reach_a_service()
    {
        var spoofed = new Dictionary<string, string>
        {
            ["X-User-Id"] = "platform-admin", ["X-User"] = "admin", ["X-Client-Id"] = "trusted-system", ["X-Roles"] = "platform-admin",
            ["X-Jurisdiction"] = "province", ["X-Agency"] = "commission", ["X-Forwarded-User"] = "admin", ["X-Auth-Request-User"] = "admin",
            ["X-Original-For"] = "10.0.0.1", ["X-Real-IP"] = "10.0.0.1", ["Forwarded"] = "for=10.0.0.1;host=evil.example",
        };

        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Token, r =>
        {
            foreach (var (name, value) in spoofed) r.Headers.TryAddWithoutValidation(name, value);
        }));

        Assert.All(spoofed.Keys, name => Assert.False(echo.Headers.ContainsKey(name.ToLowerInvariant()), $"{name} reached the service"));
        Assert.StartsWith("Bearer ", echo.Headers["authorization"]);
    }

    [Fact]
    public async Task Forwarded_headers_describe_what_the_gateway_saw_not_what_the_client_claimed()
    {
        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Token, r =>
        {
            r.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/admin");
        }));

        Assert.Equal("127.0.0.1", echo.Headers["x-forwarded-for"]);
        Assert.Equal(platform.Gateway.Client.BaseAddress!.Authority, echo.Headers["x-forwarded-host"]);
        Assert.Equal("http", echo.Headers["x-forwarded-proto"]);
        Assert.Equal("/api/planning", echo.Headers["x-forwarded-prefix"]);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_client_address_it_reports_is_used()
    {
        var settings = Gateway.Routes(platform.Planning);
        settings["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.1/32";
        await using var behindProxy = Gateway.Start(settings);

        var echo = await EchoBackend.ReadAsync(await behindProxy.GetAsync("/api/planning/rounds", Token,
            r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9")));

        Assert.Equal("203.0.113.9", echo.Headers["x-forwarded-for"]);
        Assert.False(echo.Headers.ContainsKey("x-original-for"));
    }

    [Fact]
    public async Task Hop_by_hop_headers_are_not_forwarded_including_those_named_in_connection()
    {
        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Token, r =>
        {
            r.Headers.Connection.Add("X-Hop-Secret");
            r.Headers.TryAddWithoutValidation("X-Hop-Secret", "for the next hop only");
            r.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
            r.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
            r.Headers.TryAddWithoutValidation("X-Kept", "end-to-end");
        }));

        Assert.False(echo.Headers.ContainsKey("x-hop-secret"));
        Assert.False(echo.Headers.ContainsKey("proxy-authorization"));
        Assert.False(echo.Headers.ContainsKey("keep-alive"));
        Assert.Equal("end-to-end", echo.Headers["x-kept"]);
    }

    [Fact]
    public async Task The_callers_trace_continues_at_the_service()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Token,
            r => r.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{callerSpan}-01")));

        var parts = echo.Headers["traceparent"].Split('-');
        Assert.Equal(traceId.ToString(), parts[1]);
        Assert.NotEqual(callerSpan.ToString(), parts[2]);   // the gateway's own span sits in between
    }
}
