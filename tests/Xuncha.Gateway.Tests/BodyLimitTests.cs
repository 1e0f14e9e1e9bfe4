using System.Net;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

/// <summary>Default body limit (1 MB, as in the services); public intake raised to 3 MB for its route.</summary>
public sealed class LimitedPlatform : IAsyncLifetime
{
    public EchoBackend Planning { get; private set; } = null!;
    public EchoBackend Fieldwork { get; private set; } = null!;
    public Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Planning = await EchoBackend.StartAsync("planning-a");
        Fieldwork = await EchoBackend.StartAsync("fieldwork-a");
        var settings = Gateway.Routes(Planning, Fieldwork);
        settings["Gateway:Routes:fieldwork-public:MaxRequestBodyBytes"] = (3 * Mb).ToString();
        Gateway = Gateway.Start(settings);
    }

    public const int Mb = 1024 * 1024;

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Planning.DisposeAsync();
        await Fieldwork.DisposeAsync();
    }
}

public sealed class BodyLimitTests(LimitedPlatform platform) : IClassFixture<LimitedPlatform>
{
    private const int Mb = LimitedPlatform.Mb;
    private static readonly string Token = TestTokens.Mint("xuncha.planning");

    private Task<HttpResponseMessage> Post(string path, int bytes, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(new byte[bytes])) : new ByteArrayContent(new byte[bytes]);
        if (chunked) content.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        // As large uploads should: the gateway can refuse by Content-Length before the body is sent.
        if (chunked) request.Headers.TransferEncodingChunked = true;
        else request.Headers.ExpectContinue = true;
        return platform.Gateway.SendAsync(request, Token);
    }

    [Fact]
    public async Task A_body_under_the_default_limit_is_forwarded_whole()
    {
        Assert.Equal(Mb / 2, (await EchoBackend.ReadAsync(await Post("/api/planning/rounds", Mb / 2))).BodyLength);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_default_limit_is_a_413_problem_and_never_reaches_the_service(bool chunked)
    {
        var before = platform.Planning.Requests;

        await (await Post("/api/planning/rounds", 2 * Mb, chunked)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, platform.Planning.Requests);
    }

    [Fact]
    public async Task Public_intake_takes_the_larger_body_its_route_allows_and_no_more()
    {
        Assert.Equal(2 * Mb, (await EchoBackend.ReadAsync(await Post("/api/fieldwork/public/reports", 2 * Mb))).BodyLength);

        await (await Post("/api/fieldwork/public/reports", 4 * Mb)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        // The raised limit belongs to the public route only.
        await (await Post("/api/fieldwork/reports", 2 * Mb)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}
