using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;
using Xuncha.Identity.Users;

namespace Xuncha.Identity.Tokens;

public static class TokenEndpoint
{
    public static void MapTokenEndpoint(this WebApplication app) =>
        app.MapPost("/connect/token", Handle).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.Token);

    private static async Task<IResult> Handle(HttpContext http, IdentityDb db, TokenIssuer issuer, UserManager<PlatformUser> users,
        IOptions<TokenServiceOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return OAuthError.Result("invalid_request", "The request must be application/x-www-form-urlencoded.");
        }
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Any(f => f.Value.Count > 1))
        {
            return OAuthError.Result("invalid_request", $"Parameter '{form.First(f => f.Value.Count > 1).Key}' is repeated.");
        }
        var grant = form["grant_type"].ToString();
        if (grant.Length == 0)
        {
            return OAuthError.Result("invalid_request", "grant_type is required.");
        }
        var auth = await ClientAuthentication.AuthenticateAsync(http.Request, form, db, ct);
        if (auth.Error is not null)
        {
            return auth.Error;
        }
        var client = auth.Client!;
        if (grant is not ("client_credentials" or "authorization_code" or "refresh_token"))
        {
            return OAuthError.Result("unsupported_grant_type", $"grant_type '{Truncate(grant)}' is not supported.");
        }
        if (!client.AllowedGrants.Contains(grant))
        {
            return OAuthError.Result("unauthorized_client", $"The client may not use grant_type '{grant}'.");
        }

        var context = new GrantContext(form, client, auth.Confidential, db, issuer, users, options.Value, clock.GetUtcNow(), ct);
        return grant switch
        {
            "client_credentials" => await ClientCredentials(context),
            "authorization_code" => await AuthorizationCode(context),
            _ => await Refresh(context),
        };
    }

    private sealed record GrantContext(IFormCollection Form, ApiClient Client, bool Confidential, IdentityDb Db, TokenIssuer Issuer,
        UserManager<PlatformUser> Users, TokenServiceOptions Options, DateTimeOffset Now, CancellationToken Ct);

    private static async Task<IResult> ClientCredentials(GrantContext c)
    {
        if (!c.Confidential)
        {
            return OAuthError.Result("unauthorized_client", "client_credentials requires a confidential client.");
        }
        var requested = ApiScopes.Parse(c.Form["scope"]);
        if (requested.Count == 0)
        {
            requested = c.Client.AllowedScopes.Where(ApiScopes.Apis.ContainsKey).ToList();
        }
        var refused = requested.Where(s => !c.Client.AllowedScopes.Contains(s) || !ApiScopes.Apis.ContainsKey(s)).ToList();
        if (refused.Count > 0 || requested.Count == 0)
        {
            return OAuthError.Result("invalid_scope", refused.Count > 0 ? $"Scope not allowed: {Truncate(string.Join(' ', refused))}" : "No scope granted.");
        }
        var who = new TokenSubject(c.Client.ClientId, c.Client.Jurisdiction, c.Client.Agency, c.Client.Roles, c.Client.DisplayName);
        var (token, expires) = await c.Issuer.AccessTokenAsync(who, c.Client.ClientId, requested, c.Ct);
        return new TokenResponse(token, expires, string.Join(' ', requested), null, null);
    }

    private static async Task<IResult> AuthorizationCode(GrantContext c)
    {
        var code = c.Form["code"].ToString();
        var redirectUri = c.Form["redirect_uri"].ToString();
        var verifier = c.Form["code_verifier"].ToString();
        if (code.Length == 0 || redirectUri.Length == 0)
        {
            return OAuthError.Result("invalid_request", "code and redirect_uri are required.");
        }
        if (!Pkce.IsValidVerifier(verifier))
        {
            return OAuthError.Result("invalid_request", "code_verifier is required (43–128 characters of [A-Za-z0-9-._~]).");
        }
        var hash = ApiClient.Hash(code);
        var row = await c.Db.AuthorizationCodes.SingleOrDefaultAsync(x => x.CodeHash == hash, c.Ct);
        if (row is null || row.ClientId != c.Client.ClientId)
        {
            return OAuthError.Result("invalid_grant", "The authorization code is invalid.");
        }
        if (row.ConsumedAt is not null)
        {
            // A replayed code: revoke what its first redemption produced (RFC 6749 §4.1.2).
            if (row.IssuedFamily is { } issued)
            {
                await RevokeFamily(c.Db, issued, c.Now, c.Ct);
            }
            return OAuthError.Result("invalid_grant", "The authorization code was already used.");
        }
        if (row.ExpiresAt <= c.Now || row.RedirectUri != redirectUri || !Pkce.Matches(verifier, row.CodeChallenge))
        {
            return OAuthError.Result("invalid_grant", "The authorization code is expired, or redirect_uri or code_verifier does not match.");
        }
        var family = Guid.NewGuid();
        var spent = await c.Db.AuthorizationCodes.Where(x => x.CodeHash == hash && x.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsumedAt, c.Now).SetProperty(x => x.IssuedFamily, family), c.Ct);
        if (spent == 0)
        {
            return OAuthError.Result("invalid_grant", "The authorization code was already used.");
        }
        var user = await ActiveUser(c, row.UserId);
        if (user is null)
        {
            return OAuthError.Result("invalid_grant", "The user is disabled or locked out.");
        }
        return await IssueForUser(c, user, row.Scopes, family, row.AuthTime, row.Nonce);
    }

    private static async Task<IResult> Refresh(GrantContext c)
    {
        var value = c.Form["refresh_token"].ToString();
        if (value.Length == 0)
        {
            return OAuthError.Result("invalid_request", "refresh_token is required.");
        }
        var hash = ApiClient.Hash(value);
        var row = await c.Db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(x => x.TokenHash == hash, c.Ct);
        if (row is null || row.ClientId != c.Client.ClientId || row.RevokedAt is not null || row.ExpiresAt <= c.Now)
        {
            return OAuthError.Result("invalid_grant", "The refresh token is invalid, expired or revoked.");
        }
        // Checked before the token is spent, so a refused request leaves it usable (a replay is still caught below).
        var narrowed = ApiScopes.Parse(c.Form["scope"]);
        if (row.ConsumedAt is null && narrowed.Any(s => !row.Scopes.Contains(s)))
        {
            return OAuthError.Result("invalid_scope", "A refresh may only narrow the original scope.");
        }
        var scopes = narrowed.Count > 0 ? narrowed : row.Scopes;
        var spent = row.ConsumedAt is null
            ? await c.Db.RefreshTokens.Where(x => x.Id == row.Id && x.ConsumedAt == null && x.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsumedAt, c.Now), c.Ct)
            : 0;
        if (spent == 0)
        {
            // Read again: a concurrent use may have spent it since it was loaded.
            var consumedAt = row.ConsumedAt ?? await c.Db.RefreshTokens.Where(x => x.Id == row.Id).Select(x => x.ConsumedAt).SingleAsync(c.Ct);
            var retryWindow = TimeSpan.FromSeconds(Math.Clamp(c.Options.RefreshRetrySeconds, 0, 120));
            if (consumedAt is not { } usedAt || c.Now - usedAt > retryWindow)
            {
                // A spent token presented again: someone holds a copy. Revoke the whole family.
                await RevokeFamily(c.Db, row.FamilyId, c.Now, c.Ct);
                return OAuthError.Result("invalid_grant", "The refresh token was already used; its family has been revoked.");
            }
            // A retry within the window: the client lost the answer to its refresh. It gets new tokens of the same
            // family (what the first use issued stays valid), never more scope than the token had.
            if (narrowed.Any(s => !row.Scopes.Contains(s)))
            {
                return OAuthError.Result("invalid_scope", "A refresh may only narrow the original scope.");
            }
        }
        var user = await ActiveUser(c, row.UserId);
        if (user is null)
        {
            await RevokeFamily(c.Db, row.FamilyId, c.Now, c.Ct);
            return OAuthError.Result("invalid_grant", "The user is disabled or locked out.");
        }
        return await IssueForUser(c, user, scopes, row.FamilyId, row.AuthTime, null);
    }

    private static async Task<PlatformUser?> ActiveUser(GrantContext c, string userId)
    {
        var user = await c.Users.FindByIdAsync(userId);
        return user is null || user.Disabled || await c.Users.IsLockedOutAsync(user) ? null : user;
    }

    private static async Task<IResult> IssueForUser(GrantContext c, PlatformUser user, List<string> scopes, Guid family, DateTimeOffset authTime, string? nonce)
    {
        var roles = (await c.Users.GetRolesAsync(user)).Order().ToList();
        var who = new TokenSubject(user.Id, user.Jurisdiction, user.Agency, roles, user.DisplayName);
        var (access, expires) = await c.Issuer.AccessTokenAsync(who, c.Client.ClientId, scopes, c.Ct);
        var idToken = scopes.Contains(ApiScopes.OpenId) ? await c.Issuer.IdTokenAsync(who, c.Client.ClientId, nonce, authTime, c.Ct) : null;
        string? refresh = null;
        if (scopes.Contains(ApiScopes.OfflineAccess) && c.Client.AllowedGrants.Contains("refresh_token"))
        {
            var (row, value) = Tokens.RefreshToken.Issue(family, user.Id, c.Client.ClientId, scopes, authTime, c.Now, TimeSpan.FromDays(c.Options.RefreshTokenDays));
            c.Db.RefreshTokens.Add(row);
            await c.Db.SaveChangesAsync(c.Ct);
            refresh = value;
        }
        return new TokenResponse(access, expires, string.Join(' ', scopes), refresh, idToken);
    }

    internal static Task<int> RevokeFamily(IdentityDb db, Guid family, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(x => x.FamilyId == family && x.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}

/// <summary>RFC 7636 with S256 only (plain is refused).</summary>
public static class Pkce
{
    public static bool IsValidVerifier(string? v) =>
        v is { Length: >= 43 and <= 128 } && v.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_' or '~');

    public static bool IsValidChallenge(string? c) =>
        c is { Length: 43 } && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');

    public static string Challenge(string verifier) => ApiClient.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static bool Matches(string verifier, string challenge) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Challenge(verifier)), Encoding.ASCII.GetBytes(challenge));
}
