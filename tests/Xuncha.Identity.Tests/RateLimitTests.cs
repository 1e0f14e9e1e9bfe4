using System.Net;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>Per-address limits on the token endpoint and on sign-in: 429 with Retry-After, in the OAuth error shape.</summary>
[Collection(Servers.Name)]
public sealed class RateLimitTests(PlatformServers servers)
{
    private const int Limit = 3;

    private Task<IdentityHost> Start() => IdentityHost.StartAsync(servers, new Dictionary<string, string?>
    {
        ["Identity:TokenRequestsPerMinute"] = Limit.ToString(),
        ["Identity:LoginAttemptsPerMinute"] = Limit.ToString(),
    });

    private static void AssertTooMany(OAuthResponse response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.Status);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } r && r > TimeSpan.Zero && r <= TimeSpan.FromMinutes(1), $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal("slow_down", response.Error);
    }

    [Fact]
    public async Task A_burst_on_the_token_endpoint_gets_429_with_retry_after()
    {
        await using var host = await Start();
        var responses = new List<OAuthResponse>();
        for (var i = 0; i < Limit + 3; i++)
        {
            responses.Add(await host.Client.ClientCredentialsAsync(Seeded.Agency));
        }
        Assert.All(responses.Take(Limit), r => r.AssertIssued());
        Assert.All(responses.Skip(Limit), AssertTooMany);

        // Failed attempts count too: guessing secrets is throttled the same way.
        AssertTooMany(await host.Client.ClientCredentialsAsync(Seeded.Agency.ClientId, "guess"));
    }

    [Fact]
    public async Task A_burst_of_sign_in_attempts_gets_429_with_retry_after()
    {
        await using var host = await Start();
        using var browser = host.NewBrowser();
        var page = await browser.OpenLoginPageAsync(browser.Request("openid"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < Limit + 2; i++)
        {
            last?.Dispose();
            last = await browser.SubmitLoginAsync(page, Seeded.Staff.Username, "Wrong-Passw0rd!");
            statuses.Add(last.StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, Limit).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        last.Dispose();
    }
}
