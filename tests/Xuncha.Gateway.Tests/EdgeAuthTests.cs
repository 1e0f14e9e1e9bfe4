using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Xuncha.Gateway.Tests;

/// <summary>Planning, staffing and the two APIs with public routes, behind a gateway that validates against a real discovery document.</summary>
public sealed class DiscoveryPlatform : IAsyncLifetime
{
    public IdentityStub Identity { get; private set; } = null!;
    public List<EchoBackend> Backends { get; } = [];
    public Gateway Gateway { get; private set; } = null!;

    public int Requests => Backends.Sum(b => b.Requests);

    public async Task InitializeAsync()
    {
        Identity = await IdentityStub.StartAsync();
        Backends.AddRange(await Task.WhenAll(new[] { "planning-a", "staffing-a", "fieldwork-a", "rectification-a" }.Select(n => EchoBackend.StartAsync(n))));
        var settings = Gateway.Routes([.. Backends, Identity.Backend]);
        settings["Identity:Url"] = Identity.Issuer;
        Gateway = Gateway.Start(settings, trustTestTokens: false);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var backend in Backends) await backend.DisposeAsync();
        await Identity.DisposeAsync();
    }
}

public sealed class EdgeAuthTests(DiscoveryPlatform platform) : IClassFixture<DiscoveryPlatform>
{
    private IdentityStub Identity => platform.Identity;

    [Fact]
    public async Task A_token_from_the_discovered_issuer_for_the_routes_api_goes_through()
    {
        var echo = await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/rounds", Identity.Mint(["xuncha.planning"])));

        Assert.Equal("planning-a", echo.Instance);
    }

    [Fact]
    public async Task A_token_for_several_apis_opens_each_of_them()
    {
        var token = Identity.Mint(["xuncha.planning", "xuncha.staffing"]);

        Assert.Equal("planning-a", (await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/planning/x", token))).Instance);
        Assert.Equal("staffing-a", (await EchoBackend.ReadAsync(await platform.Gateway.GetAsync("/api/staffing/x", token))).Instance);
    }

    [Fact]
    public async Task No_token_is_a_401_problem_and_never_reaches_the_service()
    {
        var before = platform.Requests;

        var response = await platform.Gateway.GetAsync("/api/planning/rounds");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(before, platform.Requests);
    }

    public static TheoryData<string> BadTokens => ["expired", "wrong issuer", "tampered", "foreign key", "alg none", "not an api audience", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task An_invalid_token_is_a_401_problem_and_never_reaches_the_service(string kind)
    {
        var api = new[] { "xuncha.planning" };
        var token = kind switch
        {
            "expired" => Identity.Mint(api, expires: DateTime.UtcNow.AddMinutes(-5)),
            "wrong issuer" => Identity.Mint(api, issuer: "https://impostor.example"),
            "tampered" => IdentityStub.Tamper(Identity.Mint(api)),
            "foreign key" => Identity.Mint(api, signingKey: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "foreign" }),
            "alg none" => Identity.MintUnsigned("xuncha.planning"),
            "not an api audience" => Identity.Mint(["xuncha.somewhere-else"]),
            _ => "not-a-jwt",
        };
        var before = platform.Requests;

        await (await platform.Gateway.GetAsync("/api/planning/rounds", token)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, platform.Requests);
    }

    [Fact]
    public async Task A_valid_token_for_another_api_is_a_403_problem()
    {
        var before = platform.Requests;

        await (await platform.Gateway.GetAsync("/api/planning/rounds", Identity.Mint(["xuncha.staffing"]))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, platform.Requests);
    }

    [Theory]
    [InlineData("fieldwork", "/public/reports")]           // 码上巡察 public intake
    [InlineData("rectification", "/public/surveys/7")]     // satisfaction survey
    public async Task Public_routes_are_anonymous_but_the_rest_of_their_api_is_not(string api, string path)
    {
        var post = new HttpRequestMessage(HttpMethod.Post, $"/api/{api}{path}") { Content = new StringContent("{\"text\":\"举报内容\"}") };
        var echo = await EchoBackend.ReadAsync(await platform.Gateway.SendAsync(post));
        Assert.Equal(api + "-a", echo.Instance);
        Assert.Equal(path, echo.Path);

        await (await platform.Gateway.GetAsync($"/api/{api}/reports")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Discovery_is_served_through_the_gateway_unchanged()
    {
        var response = await platform.Gateway.GetAsync("/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"issuer\":\"{Identity.Issuer}\"", await response.Content.ReadAsStringAsync());
    }
}
