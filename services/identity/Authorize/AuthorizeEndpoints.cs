using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;
using Xuncha.Identity.Tokens;
using Xuncha.Identity.Users;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Identity.Authorize;

/// <summary>Authorization code flow with PKCE (S256 required): /connect/authorize and the sign-in form behind it.</summary>
public static class AuthorizeEndpoints
{
    public const string LoginScheme = "xuncha.login";

    public static void MapAuthorize(this WebApplication app)
    {
        app.MapGet("/connect/authorize", Authorize).AllowAnonymous();
        app.MapPost("/connect/login", Login).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.Login);
        // Ends the sign-in session (the cookie); tokens already issued live out their short lifetime.
        app.MapMethods("/connect/logout", ["GET", "POST"], async (HttpContext http) =>
        {
            await http.SignOutAsync(LoginScheme);
            return LoginPage.SignedOut();
        }).AllowAnonymous().DisableAntiforgery();
    }

    private static async Task<IResult> Authorize(HttpContext http, IdentityDb db, UserManager<PlatformUser> users, IAntiforgery antiforgery,
        IOptions<TokenServiceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        var clientId = q["client_id"].ToString();
        var redirectUri = q["redirect_uri"].ToString();
        var client = clientId.Length is > 0 and <= 100 ? await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId, ct) : null;
        // Without a known client and an exactly registered redirect URI there is nowhere safe to send an error.
        if (client is null || client.Disabled)
        {
            return LoginPage.Error("客户端无效（client_id）。");
        }
        if (!client.RedirectUris.Contains(redirectUri))
        {
            return LoginPage.Error("回调地址未登记（redirect_uri）。");
        }

        var state = q["state"].ToString();
        IResult Fail(string error, string description) => Results.Redirect(WithQuery(redirectUri, new()
        {
            ["error"] = error, ["error_description"] = description, ["state"] = state, ["iss"] = options.Value.Issuer,
        }));

        if (q["response_type"] != "code") return Fail("unsupported_response_type", "Only response_type=code is supported.");
        if (!client.AllowedGrants.Contains("authorization_code")) return Fail("unauthorized_client", "The client may not use the authorization code flow.");
        if (q["code_challenge_method"] != "S256" || !Pkce.IsValidChallenge(q["code_challenge"])) return Fail("invalid_request", "PKCE with code_challenge_method=S256 is required.");
        var scopes = ApiScopes.Parse(q["scope"]);
        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.All.Contains(s) || !client.AllowedScopes.Contains(s))) return Fail("invalid_scope", "A requested scope is unknown or not allowed for this client.");

        var session = await http.AuthenticateAsync(LoginScheme);
        var user = session.Succeeded ? await users.FindByIdAsync(session.Principal!.FindFirstValue("sub") ?? "") : null;
        if (user is null || user.Disabled || await users.IsLockedOutAsync(user) || q["prompt"] == "login")
        {
            if (q["prompt"] == "none") return Fail("login_required", "The user is not signed in.");
            var tokens = antiforgery.GetAndStoreTokens(http);
            var returnUrl = http.Request.Path + QueryString.Create(q.Where(p => p.Key != "prompt").Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())));
            return LoginPage.Render(returnUrl, tokens.FormFieldName, tokens.RequestToken!);
        }

        var code = ApiClient.Base64Url(RandomNumberGenerator.GetBytes(32));
        db.AuthorizationCodes.Add(new AuthorizationCode
        {
            CodeHash = ApiClient.Hash(code),
            ClientId = client.ClientId,
            UserId = user.Id,
            RedirectUri = redirectUri,
            Scopes = scopes,
            CodeChallenge = q["code_challenge"].ToString(),
            Nonce = q.ContainsKey("nonce") ? q["nonce"].ToString() : null,
            AuthTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(session.Principal!.FindFirstValue("auth_time") ?? "0")),
            ExpiresAt = clock.GetUtcNow().AddSeconds(options.Value.AuthorizationCodeSeconds),
        });
        await db.SaveChangesAsync(ct);
        return Results.Redirect(WithQuery(redirectUri, new() { ["code"] = code, ["state"] = state, ["iss"] = options.Value.Issuer }));
    }

    private static async Task<IResult> Login(HttpContext http, IdentityDb db, UserManager<PlatformUser> users, IAntiforgery antiforgery,
        AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return LoginPage.Error("请求格式错误。");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var returnUrl = form["returnUrl"].ToString();
        // Only ever back into the authorize endpoint: no open redirect.
        if (!returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal) || returnUrl.Length > 4096)
        {
            return LoginPage.Error("登录请求无效。");
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return LoginPage.Error("页面已过期，请返回重新登录。");
        }
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        var tokens = antiforgery.GetAndStoreTokens(http);
        IResult Again(string message) => LoginPage.Render(returnUrl, tokens.FormFieldName, tokens.RequestToken!, message, username, StatusCodes.Status401Unauthorized);

        var user = username.Length is > 0 and <= 100 ? await users.FindByNameAsync(username) : null;
        if (user is not null && await users.IsLockedOutAsync(user))
        {
            await Audit(db, audit, "login.locked_out", username, ct);
            return Again("账户已锁定，请稍后再试。");
        }
        if (user is null || user.Disabled || !await users.CheckPasswordAsync(user, password))
        {
            if (user is not null && !user.Disabled)
            {
                await users.AccessFailedAsync(user);
            }
            await Audit(db, audit, "login.failed", username, ct);
            return Again("用户名或密码错误。");
        }
        await users.ResetAccessFailedCountAsync(user);
        await Audit(db, audit, "login.succeeded", username, ct);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", user.Id), new Claim("auth_time", clock.GetUtcNow().ToUnixTimeSeconds().ToString())], LoginScheme, "sub", "roles"));
        await http.SignInAsync(LoginScheme, principal);
        return Results.Redirect(returnUrl);
    }

    private static async Task Audit(IdentityDb db, AuditTrail audit, string action, string username, CancellationToken ct)
    {
        audit.Record(db, action, "user", username.Length > 100 ? username[..100] : username);
        await db.SaveChangesAsync(ct);
    }

    private static string WithQuery(string uri, Dictionary<string, string?> values) =>
        QueryHelpers.AddQueryString(uri, values.Where(v => !string.IsNullOrEmpty(v.Value)));
}
