using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>People: the authorization code flow with PKCE, step by step as a browser goes through it.</summary>
[Collection(Servers.Name)]
public sealed class AuthorizationCodeTests(IdentityFixture fixture, PlatformServers servers) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    private Task<List<AuditEntry>> AuditFor(string username) =>
        Host.WithDb(db => db.Set<AuditEntry>().Where(a => a.EntityType == "user" && a.EntityId == username).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task A_person_signs_in_and_the_client_redeems_the_code_for_access_id_and_refresh_tokens()
    {
        using var browser = Host.NewBrowser();
        var request = browser.Request("openid profile offline_access planning");

        // 1. No session: the sign-in page, in Chinese, with an antiforgery field and the way back to authorize.
        var page = await browser.OpenLoginPageAsync(request);
        Assert.Contains("<html lang=\"zh-CN\">", page.Html);
        Assert.Contains("用户名", page.Html);
        Assert.Contains("密码", page.Html);
        Assert.Contains("登录", page.Html);
        Assert.Contains(page.Hidden.Keys, k => k.StartsWith("__RequestVerificationToken", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(page.Hidden.Single(h => h.Key.StartsWith("__RequestVerificationToken", StringComparison.Ordinal)).Value));
        Assert.StartsWith("/connect/authorize?", page.Hidden["returnUrl"]);

        // 2. Posting the form signs in and sends the browser back to authorize.
        using var login = await browser.SubmitLoginAsync(page, Seeded.Staff.Username, Seeded.Staff.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(page.Hidden["returnUrl"], login.Headers.Location!.OriginalString);

        // 3. With the session, authorize redirects to the client with code, state and iss (RFC 9207).
        var callback = Browser.Query(await browser.FollowToClientAsync(login.Headers.Location.OriginalString));
        Assert.Equal(request.State, callback["state"]);
        Assert.Equal(IdentityHost.Issuer, callback["iss"]);
        Assert.False(callback.ContainsKey("error"));

        // 4. The code and the verifier buy the tokens.
        var tokens = await browser.RedeemAsync(callback["code"], request.Pkce.Verifier);
        tokens.AssertIssued();
        Assert.Equal("openid profile offline_access planning", tokens.Body.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));

        var userId = await Host.WithDb(db => db.Users.Where(u => u.UserName == Seeded.Staff.Username).Select(u => u.Id).SingleAsync());
        var jwks = await Jwt.FetchJwksAsync(Host.Client);

        var id = Jwt.Payload(tokens.IdToken);
        Assert.Equal(request.Nonce, id.GetProperty("nonce").GetString());
        Assert.Equal(Seeded.WebClient, id.GetProperty("aud").GetString());
        Assert.Equal(userId, id.GetProperty("sub").GetString());
        Assert.Equal(IdentityHost.Issuer, id.GetProperty("iss").GetString());
        Assert.True(id.GetProperty("auth_time").GetInt64() > 0);
        await Jwt.AssertValidAsync(tokens.IdToken, jwks, Seeded.WebClient);

        var access = Jwt.Payload(tokens.AccessToken);
        Assert.Equal(userId, access.GetProperty("sub").GetString());
        Assert.Equal(Seeded.WebClient, access.GetProperty("client_id").GetString());
        Assert.Equal(Seeded.Staff.Jurisdiction, access.GetProperty("jurisdiction").GetString());
        Assert.Equal(Seeded.Staff.Agency, access.GetProperty("agency").GetString());
        Assert.Equal(Seeded.Staff.Roles, access.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["xuncha.identity", "xuncha.planning"], Jwt.Audiences(tokens.AccessToken).Order());
        await Jwt.AssertValidAsync(tokens.AccessToken, jwks, "xuncha.planning");

        Assert.Contains(await AuditFor(Seeded.Staff.Username), a => a.Action == "login.succeeded");
    }

    [Fact]
    public async Task A_signed_in_browser_goes_straight_back_to_the_client_and_prompt_login_asks_again()
    {
        using var browser = Host.NewBrowser();
        await browser.SignInForCodeAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid");

        var again = browser.Request("openid");
        var callback = Browser.Query(await browser.FollowToClientAsync(again.Url));
        Assert.Equal(again.State, callback["state"]);
        (await browser.RedeemAsync(callback["code"], again.Pkce.Verifier)).AssertIssued();

        await browser.OpenLoginPageAsync(browser.Request("openid") with { Prompt = "login" });
    }

    [Fact]
    public async Task Without_a_session_prompt_none_is_login_required_at_the_client()
    {
        using var browser = Host.NewBrowser();
        var request = browser.Request("openid") with { Prompt = "none" };
        using var response = await browser.AuthorizeAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = Browser.Query(response.Headers.Location!);
        Assert.Equal("login_required", query["error"]);
        Assert.Equal(request.State, query["state"]);
    }

    [Theory]
    [InlineData(null, null, "invalid_request")]       // no PKCE at all
    [InlineData("plain", "challenge", "invalid_request")] // plain is refused
    [InlineData("S256", "too-short", "invalid_request")]
    public async Task Authorize_without_S256_pkce_redirects_back_with_an_error(string? method, string? challenge, string error)
    {
        using var browser = Host.NewBrowser();
        var request = browser.Request("openid");
        request = request with
        {
            CodeChallengeMethod = method,
            CodeChallenge = challenge == "challenge" ? request.Pkce.Verifier : challenge,
        };
        using var response = await browser.AuthorizeAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(Seeded.WebRedirect + "?", response.Headers.Location!.OriginalString);
        var query = Browser.Query(response.Headers.Location);
        Assert.Equal(error, query["error"]);
        Assert.Equal(request.State, query["state"]);
        Assert.Equal(IdentityHost.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Theory]
    [InlineData("openid fieldwork", "invalid_scope")]     // not allowed for this client
    [InlineData("openid no-such", "invalid_scope")]
    public async Task Authorize_with_a_refused_scope_redirects_back_with_an_error(string scope, string error)
    {
        using var browser = Host.NewBrowser();
        var request = browser.Request(scope);
        using var response = await browser.AuthorizeAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(error, Browser.Query(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task An_unsupported_response_type_redirects_back_with_an_error()
    {
        using var browser = Host.NewBrowser();
        using var response = await browser.AuthorizeAsync(browser.Request("openid") with { ResponseType = "token" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("unsupported_response_type", Browser.Query(response.Headers.Location!)["error"]);
    }

    [Theory]
    [InlineData(Seeded.WebClient, "https://evil.test/callback", "回调地址未登记")]
    [InlineData(Seeded.WebClient, Seeded.WebRedirect + "/more", "回调地址未登记")]
    [InlineData("no-such-client", Seeded.WebRedirect, "客户端无效")]
    public async Task An_unregistered_redirect_uri_or_client_gets_an_error_page_never_a_redirect(string clientId, string redirectUri, string message)
    {
        using var browser = Host.NewBrowser(clientId, redirectUri);
        using var response = await browser.AuthorizeAsync(browser.Request("openid"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_invalid_grant()
    {
        using var browser = Host.NewBrowser();
        var (code, _) = await browser.SignInForCodeAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid");
        var response = await browser.RedeemAsync(code, Pkce.New().Verifier);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_missing_code_verifier_is_invalid_request()
    {
        using var browser = Host.NewBrowser();
        var (code, _) = await browser.SignInForCodeAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid");
        var response = await browser.Http.PostFormAsync("/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Seeded.WebRedirect, ["client_id"] = Seeded.WebClient,
        });
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_different_redirect_uri_at_the_token_endpoint_is_invalid_grant()
    {
        using var browser = Host.NewBrowser();
        var (code, request) = await browser.SignInForCodeAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid");
        var response = await browser.RedeemAsync(code, request.Pkce.Verifier, redirect: "https://app.test/other");
        response.AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_reused_code_is_invalid_grant_and_revokes_what_the_first_use_issued()
    {
        using var browser = Host.NewBrowser();
        var (code, request) = await browser.SignInForCodeAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid offline_access");
        var first = await browser.RedeemAsync(code, request.Pkce.Verifier);
        first.AssertIssued();

        var replay = await browser.RedeemAsync(code, request.Pkce.Verifier);
        replay.AssertError(HttpStatusCode.BadRequest, "invalid_grant");

        (await Host.Client.RefreshAsync(first.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task An_expired_code_is_invalid_grant()
    {
        var clock = new ShiftedClock();
        await using var host = await IdentityHost.StartAsync(servers, new Dictionary<string, string?> { ["Identity:AuthorizationCodeSeconds"] = "60" }, clock);
        using var browser = host.NewBrowser();
        var (code, request) = await browser.SignInForCodeAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid");
        clock.Advance(TimeSpan.FromSeconds(61));
        (await browser.RedeemAsync(code, request.Pkce.Verifier)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_made_up_code_is_invalid_grant()
    {
        using var browser = Host.NewBrowser();
        var response = await browser.RedeemAsync("not-a-code", Pkce.New().Verifier);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_page_again_with_401_and_is_audited()
    {
        using var admin = await Host.AdminAsync();
        var user = await admin.CreateUserAsync("wrong.pw." + Guid.NewGuid().ToString("N")[..6], [PlatformRoles.GroupMember]);
        using var browser = Host.NewBrowser();
        var page = await browser.OpenLoginPageAsync(browser.Request("openid"));

        using var response = await browser.SubmitLoginAsync(page, user.Username, user.Password + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("用户名或密码错误", WebUtility.HtmlDecode(html));
        Assert.Contains($"value=\"{user.Username}\"", html);

        var failed = Assert.Single(await AuditFor(user.Username), a => a.Action == "login.failed");
        Assert.Equal(user.Username, failed.EntityId);

        // The page it showed again still works.
        using var retry = await browser.SubmitLoginAsync(LoginForm.Parse(html), user.Username, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
    }

    [Fact]
    public async Task An_unknown_username_is_the_same_401_page_and_is_audited()
    {
        using var browser = Host.NewBrowser();
        var page = await browser.OpenLoginPageAsync(browser.Request("openid"));
        var name = "nobody." + Guid.NewGuid().ToString("N")[..6];
        using var response = await browser.SubmitLoginAsync(page, name, "Whatever-123!");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Contains(await AuditFor(name), a => a.Action == "login.failed");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var admin = await Host.AdminAsync();
        var user = await admin.CreateUserAsync("lockout." + Guid.NewGuid().ToString("N")[..6], [PlatformRoles.GroupMember]);
        using var browser = Host.NewBrowser();
        var form = await browser.OpenLoginPageAsync(browser.Request("openid"));
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await browser.SubmitLoginAsync(form, user.Username, "Wrong-Passw0rd!");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            form = LoginForm.Parse(await wrong.Content.ReadAsStringAsync());
        }

        using var right = await browser.SubmitLoginAsync(form, user.Username, user.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("账户已锁定", WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync()));

        var actions = (await AuditFor(user.Username)).Select(a => a.Action).ToList();
        Assert.Equal(5, actions.Count(a => a == "login.failed"));
        Assert.Contains("login.locked_out", actions);
        Assert.DoesNotContain("login.succeeded", actions);
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = Host.NewBrowser();
        var page = await browser.OpenLoginPageAsync(browser.Request("openid"));
        var forged = page with { Hidden = page.Hidden.Where(h => !h.Key.StartsWith("__RequestVerificationToken", StringComparison.Ordinal)).ToDictionary() };
        using var response = await browser.SubmitLoginAsync(forged, Seeded.Staff.Username, Seeded.Staff.Password);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("https://evil.test/")]
    [InlineData("//evil.test/connect/authorize?x=1")]
    [InlineData("/admin/users")]
    public async Task A_login_never_redirects_outside_the_authorize_endpoint(string returnUrl)
    {
        using var browser = Host.NewBrowser();
        var page = await browser.OpenLoginPageAsync(browser.Request("openid"));
        var hidden = page.Hidden.ToDictionary();
        hidden["returnUrl"] = returnUrl;
        using var response = await browser.SubmitLoginAsync(page with { Hidden = hidden }, Seeded.Staff.Username, Seeded.Staff.Password);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
