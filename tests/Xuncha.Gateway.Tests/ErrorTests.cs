using System.Net;
using System.Text.Json;
using Xuncha.Launcher;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

/// <summary>A platform still growing: planning is deployed, staffing's only address is dead, the rest are not deployed.</summary>
public sealed class PartialPlatform : IAsyncLifetime
{
    public EchoBackend Planning { get; private set; } = null!;
    public Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Planning = await EchoBackend.StartAsync("planning-a");
        var settings = Gateway.Routes(Planning);
        settings["services:staffing:http:0"] = $"http://127.0.0.1:{Shell.FreePort()}";
        settings["Gateway:HealthChecks:Interval"] = "01:00:00";   // keep the dead address in rotation
        Gateway = Gateway.Start(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Planning.DisposeAsync();
    }
}

public sealed class ErrorTests(PartialPlatform platform) : IClassFixture<PartialPlatform>
{
    [Theory]
    [InlineData("/api/clues/clues/1", null)]
    [InlineData("/api/clues/clues/1", "xuncha.clues")]
    [InlineData("/api/rectification/public/surveys", null)]
    [InlineData("/api/audit/openapi/v1.json", null)]
    public async Task A_service_that_is_not_deployed_is_a_503_problem_saying_so(string path, string? audience)
    {
        var problem = await (await platform.Gateway.GetAsync(path, audience is null ? null : TestTokens.Mint(audience)))
            .AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        Assert.Contains("not deployed", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_index_marks_services_that_are_not_deployed()
    {
        var services = JsonDocument.Parse(await (await platform.Gateway.GetAsync("/api/index.json")).Content.ReadAsStringAsync())
            .RootElement.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("deployed").GetBoolean());

        Assert.True(services["planning"]);
        Assert.True(services["staffing"]);
        Assert.False(services["clues"]);
        Assert.DoesNotContain("href=\"/api/clues/openapi/v1.json\"", await (await platform.Gateway.GetAsync("/api")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unreachable_service_is_a_502_problem()
    {
        var problem = await (await platform.Gateway.GetAsync("/api/staffing/people", TestTokens.Mint("xuncha.staffing")))
            .AssertProblemAsync(HttpStatusCode.BadGateway);

        Assert.DoesNotContain("127.0.0.1", problem.ToString());   // no internal addresses leak
    }
}
