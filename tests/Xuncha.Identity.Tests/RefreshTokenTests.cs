using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>
/// Refresh tokens rotate on every use; a spent one coming back means a copy exists, so its whole family dies — unless it
/// comes back within the configured retry window (off by default).
/// </summary>
[Collection(Servers.Name)]
public sealed class RefreshTokenTests(IdentityFixture fixture, PlatformServers servers) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    private async Task<OAuthResponse> SignIn(string scope = "openid profile offline_access planning")
    {
        using var browser = Host.NewBrowser();
        return await browser.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, scope);
    }

    [Fact]
    public async Task Each_use_returns_a_new_refresh_token_and_new_tokens_for_the_same_person()
    {
        var first = await SignIn();
        var second = await Host.Client.RefreshAsync(first.RefreshToken);
        second.AssertIssued();
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(first.Body.GetProperty("scope").GetString(), second.Body.GetProperty("scope").GetString());
        Assert.Equal(Jwt.Payload(first.AccessToken).GetProperty("sub").GetString(), Jwt.Payload(second.AccessToken).GetProperty("sub").GetString());
        Assert.Equal(Jwt.Payload(first.IdToken).GetProperty("auth_time").GetInt64(), Jwt.Payload(second.IdToken).GetProperty("auth_time").GetInt64());

        var third = await Host.Client.RefreshAsync(second.RefreshToken);
        third.AssertIssued();
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
    }

    [Fact]
    public async Task A_spent_refresh_token_is_invalid_grant_and_revokes_the_whole_family()
    {
        var first = await SignIn();
        var second = await Host.Client.RefreshAsync(first.RefreshToken);
        second.AssertIssued();

        // The spent one again: someone kept a copy.
        (await Host.Client.RefreshAsync(first.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");

        // Now even the newest of the family is dead.
        (await Host.Client.RefreshAsync(second.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");

        // Another sign-in (another family) is untouched.
        var other = await SignIn();
        (await Host.Client.RefreshAsync(other.RefreshToken)).AssertIssued();
    }

    [Fact]
    public async Task A_retry_within_the_configured_window_gets_new_tokens_and_a_later_one_revokes_the_family()
    {
        var clock = new ShiftedClock();
        await using var host = await IdentityHost.StartAsync(servers, new Dictionary<string, string?> { ["Identity:RefreshRetrySeconds"] = "30" }, clock);
        using var browser = host.NewBrowser();
        var first = await browser.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid offline_access planning");
        var lost = await host.Client.RefreshAsync(first.RefreshToken);   // the answer the client never saw
        lost.AssertIssued();

        clock.Advance(TimeSpan.FromSeconds(20));
        var retried = await host.Client.RefreshAsync(first.RefreshToken);
        retried.AssertIssued();
        Assert.NotEqual(lost.RefreshToken, retried.RefreshToken);
        Assert.Equal(Jwt.Payload(first.AccessToken).GetProperty("sub").GetString(), Jwt.Payload(retried.AccessToken).GetProperty("sub").GetString());
        // A retry is still no way to widen the scope.
        (await host.Client.RefreshAsync(first.RefreshToken, scope: "openid offline_access planning fieldwork")).AssertError(HttpStatusCode.BadRequest, "invalid_scope");

        // Past the window the spent token is a copy in someone's hands: the family dies, the retried branch with it.
        clock.Advance(TimeSpan.FromSeconds(11));
        (await host.Client.RefreshAsync(first.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        (await host.Client.RefreshAsync(retried.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        (await host.Client.RefreshAsync(lost.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_may_narrow_the_scope()
    {
        var first = await SignIn();
        var narrowed = await Host.Client.RefreshAsync(first.RefreshToken, scope: "openid offline_access");
        narrowed.AssertIssued();
        Assert.Equal("openid offline_access", narrowed.Body.GetProperty("scope").GetString());
        Assert.Equal(["xuncha.identity"], Jwt.Audiences(narrowed.AccessToken));
    }

    [Fact]
    public async Task A_refresh_asking_for_more_scope_is_invalid_scope_and_leaves_the_token_usable()
    {
        var first = await SignIn("openid offline_access");
        (await Host.Client.RefreshAsync(first.RefreshToken, scope: "openid offline_access planning")).AssertError(HttpStatusCode.BadRequest, "invalid_scope");
        (await Host.Client.RefreshAsync(first.RefreshToken)).AssertIssued();
    }

    [Fact]
    public async Task A_spent_refresh_token_replayed_with_another_scope_still_revokes_the_family()
    {
        var first = await SignIn();
        var second = await Host.Client.RefreshAsync(first.RefreshToken);
        (await Host.Client.RefreshAsync(first.RefreshToken, scope: "openid fieldwork")).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        (await Host.Client.RefreshAsync(second.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Another_client_cannot_use_the_refresh_token()
    {
        var first = await SignIn();
        using var admin = await Host.AdminAsync();
        using var created = await admin.Http.PostAsJsonAsync("/admin/clients", new
        {
            clientId = "other-web-" + Guid.NewGuid().ToString("N")[..6], displayName = "另一个网页端", agency = "inspection-office", jurisdiction = Seeded.City,
            grants = new[] { "authorization_code", "refresh_token" }, scopes = Seeded.WebScopes, redirectUris = new[] { "https://other.test/cb" }, @public = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var otherClient = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientId").GetString()!;

        (await Host.Client.RefreshAsync(first.RefreshToken, clientId: otherClient)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        // A confidential client that may not refresh at all is told so before anything else.
        (await Host.Client.PostFormAsync("/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = first.RefreshToken },
            (Seeded.Agency.ClientId, Seeded.Agency.Secret))).AssertError(HttpStatusCode.BadRequest, "unauthorized_client");

        (await Host.Client.RefreshAsync(first.RefreshToken)).AssertIssued();
    }

    [Fact]
    public async Task Without_offline_access_there_is_no_refresh_token()
    {
        var tokens = await SignIn("openid profile");
        Assert.False(tokens.Has("refresh_token"));
    }

    [Fact]
    public async Task A_refresh_token_unused_for_the_configured_days_expires()
    {
        var clock = new ShiftedClock();
        await using var host = await IdentityHost.StartAsync(servers, new Dictionary<string, string?> { ["Identity:RefreshTokenDays"] = "2" }, clock);
        using var browser = host.NewBrowser();
        var first = await browser.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid offline_access");
        clock.Advance(TimeSpan.FromDays(1));
        var second = await host.Client.RefreshAsync(first.RefreshToken);
        second.AssertIssued();
        // Each new token lives the configured days from its own issue; one left unused that long is dead.
        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        (await host.Client.RefreshAsync(second.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task An_unknown_or_missing_refresh_token_is_refused()
    {
        (await Host.Client.RefreshAsync("made-up")).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        (await Host.Client.PostFormAsync("/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = Seeded.WebClient }))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }
}
