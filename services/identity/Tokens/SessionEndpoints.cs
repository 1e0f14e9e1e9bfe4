using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;
using Xuncha.Identity.Users;

namespace Xuncha.Identity.Tokens;

/// <summary>/connect/userinfo (OIDC Core §5.3) and /connect/revocation (RFC 7009).</summary>
public static class SessionEndpoints
{
    public static void MapSessionEndpoints(this WebApplication app)
    {
        var userinfo = app.MapMethods("/connect/userinfo", ["GET", "POST"], async (HttpContext http, UserManager<PlatformUser> users) =>
        {
            var scopes = ApiScopes.Parse(http.User.FindFirst("scope")?.Value);
            if (!scopes.Contains(ApiScopes.OpenId))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\", scope=\"openid\"";
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            var user = await users.FindByIdAsync(http.User.FindFirst("sub")?.Value ?? "");
            if (user is null || user.Disabled)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            var claims = new Dictionary<string, object> { ["sub"] = user.Id };
            if (scopes.Contains(ApiScopes.Profile))
            {
                claims["name"] = user.DisplayName;
                claims["preferred_username"] = user.UserName!;
                claims["jurisdiction"] = user.Jurisdiction;
                claims["agency"] = user.Agency;
                claims["roles"] = (await users.GetRolesAsync(user)).Order().ToArray();
            }
            return Results.Json(claims);
        });
        userinfo.RequireAuthorization(p => p.RequireClaim("aud", "xuncha.identity"));

        app.MapPost("/connect/revocation", async (HttpContext http, IdentityDb db, TimeProvider clock, CancellationToken ct) =>
        {
            if (!http.Request.HasFormContentType)
            {
                return OAuthError.Result("invalid_request", "The request must be application/x-www-form-urlencoded.");
            }
            var form = await http.Request.ReadFormAsync(ct);
            var auth = await ClientAuthentication.AuthenticateAsync(http.Request, form, db, ct);
            if (auth.Error is not null)
            {
                return auth.Error;
            }
            var token = form["token"].ToString();
            if (token.Length == 0)
            {
                return OAuthError.Result("invalid_request", "token is required.");
            }
            var hash = ApiClient.Hash(token);
            var row = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(x => x.TokenHash == hash, ct);
            if (row is not null && row.ClientId == auth.Client!.ClientId)
            {
                await TokenEndpoint.RevokeFamily(db, row.FamilyId, clock.GetUtcNow(), ct);
            }
            // RFC 7009 §2.2: 200 whether or not the token was known (access tokens are short-lived JWTs and simply expire).
            return Results.Ok();
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.Token);
    }
}
