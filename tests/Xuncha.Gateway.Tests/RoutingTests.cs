using System.Net;
using System.Text.Json;
using Xuncha.Gateway.Routing;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

/// <summary>Every platform API and identity behind one gateway; planning runs two instances.</summary>
public sealed class FullPlatform : IAsyncLifetime
{
    public const string AllowedOrigin = "https://xuncha.example.gov.cn";

    public List<EchoBackend> Backends { get; } = [];
    public Gateway Gateway { get; private set; } = null!;

    public EchoBackend this[string name] => Backends.Single(b => b.Name == name);

    public async Task InitializeAsync()
    {
        // Identity is one backend for both its sign-in paths and its admin API (/api/identity).
        var names = PlatformApi.All.Where(a => a.Name != "identity").Select(a => a.Name + "-a").Append("planning-b").Append("identity");
        Backends.AddRange(await Task.WhenAll(names.Select(n => EchoBackend.StartAsync(n))));
        var settings = Gateway.Routes([.. Backends]);
        settings["Gateway:Cors:Origins:0"] = AllowedOrigin;
        Gateway = Gateway.Start(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var backend in Backends) await backend.DisposeAsync();
    }
}

public sealed class RoutingTests(FullPlatform platform) : IClassFixture<FullPlatform>
{
    public static TheoryData<string> Apis => [.. PlatformApi.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Each_api_reaches_its_own_service_with_the_prefix_removed(string api)
    {
        var response = await platform.Gateway.GetAsync($"/api/{api}/rounds/42?page=2", TestTokens.Mint("xuncha." + api));

        var echo = await EchoBackend.ReadAsync(response);
        Assert.Matches($"^{api}(-[ab])?$", echo.Instance);
        Assert.Equal("/rounds/42", echo.Path);
        Assert.Equal("?page=2", echo.Query);
        Assert.Equal("/api/" + api, echo.Headers["x-forwarded-prefix"]);
        Assert.StartsWith("Bearer ", echo.Headers["authorization"]);   // services check the token again themselves
    }

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/connect/authorize?client_id=web")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task Identity_routes_keep_their_path_and_need_no_token(string path)
    {
        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync(path));

        Assert.Equal("identity", echo.Instance);
        Assert.Equal(path, echo.Path + echo.Query);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Each_openapi_document_is_anonymous_and_served_by_its_service(string api)
    {
        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync($"/api/{api}/openapi/v1.json"));

        Assert.Matches($"^{api}(-[ab])?$", echo.Instance);
        Assert.Equal("/openapi/v1.json", echo.Path);
    }

    [Fact]
    public async Task Two_instances_of_a_service_take_turns()
    {
        var token = TestTokens.Mint("xuncha.planning");
        var answered = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            answered.Add((await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", token))).Instance);
        }

        Assert.Equal(10, answered.Count(a => a == "planning-a"));
        Assert.Equal(10, answered.Count(a => a == "planning-b"));
    }

    [Fact]
    public async Task The_index_lists_every_service_and_its_openapi_document()
    {
        var json = await platform.Gateway.GetAsync("/api/index.json");
        var services = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(PlatformApi.All.Select(a => a.Name), services.Select(s => s.GetProperty("name").GetString()));
        Assert.All(services, s =>
        {
            Assert.True(s.GetProperty("deployed").GetBoolean());
            Assert.Equal($"/api/{s.GetProperty("name").GetString()}/openapi/v1.json", s.GetProperty("openApi").GetString());
        });

        var page = await platform.Gateway.GetAsync("/api");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.All(PlatformApi.All, a =>
        {
            Assert.Contains(a.Title, html);                                  // Chinese and English label
            Assert.Contains($"href=\"/api/{a.Name}/openapi/v1.json\"", html);
        });
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/favicon.ico")]
    [InlineData("/api/unknown/things")]
    [InlineData("/apiplanning/x")]
    public async Task An_unknown_path_is_a_404_problem_even_without_a_token(string path)
    {
        var before = platform.Backends.Sum(b => b.Requests);

        await (await platform.Gateway.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, platform.Backends.Sum(b => b.Requests));
    }

    [Fact]
    public async Task Health_reports_each_clusters_destinations()
    {
        var response = await platform.Gateway.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var clusters = health.GetProperty("clusters");
        Assert.Equal(2, clusters.GetProperty("planning").GetProperty("healthy").GetInt32());
        Assert.Equal(0, clusters.GetProperty("planning").GetProperty("unhealthy").GetInt32());
        Assert.All(PlatformApi.All.Select(a => a.Name).Append("identity"), c => Assert.True(clusters.GetProperty(c).GetProperty("healthy").GetInt32() >= 1));
        Assert.Equal(HttpStatusCode.OK, (await platform.Gateway.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task Cors_preflight_is_answered_for_configured_origins_only()
    {
        static Action<HttpRequestMessage> Preflight(string origin) => r =>
        {
            r.Headers.Add("Origin", origin);
            r.Headers.Add("Access-Control-Request-Method", "POST");
            r.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        };
        var before = platform.Backends.Sum(b => b.Requests);

        var allowed = await platform.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/planning/rounds"), configure: Preflight(FullPlatform.AllowedOrigin));
        var other = await platform.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/planning/rounds"), configure: Preflight("https://evil.example"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(FullPlatform.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(before, platform.Backends.Sum(b => b.Requests));
    }
}
