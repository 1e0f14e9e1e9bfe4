using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Tests.Infrastructure;

namespace Xuncha.Identity.Tests;

/// <summary>/connect/userinfo (OIDC Core §5.3) and /connect/revocation (RFC 7009).</summary>
[Collection(Servers.Name)]
public sealed class UserInfoAndRevocationTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    private async Task<OAuthResponse> SignIn(string scope)
    {
        using var browser = Host.NewBrowser();
        return await browser.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, scope);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> UserInfo(string? token)
    {
        using var http = Host.WithToken(token);
        var response = await http.GetAsync("/connect/userinfo");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    [Fact]
    public async Task Userinfo_with_openid_and_profile_returns_who_the_person_is()
    {
        var tokens = await SignIn("openid profile");
        var (status, body, _) = await UserInfo(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        var userId = await Host.WithDb(db => db.Users.Where(u => u.UserName == Seeded.Staff.Username).Select(u => u.Id).SingleAsync());
        Assert.Equal(userId, body.GetProperty("sub").GetString());
        Assert.Equal(Seeded.Staff.DisplayName, body.GetProperty("name").GetString());
        Assert.Equal(Seeded.Staff.Username, body.GetProperty("preferred_username").GetString());
        Assert.Equal(Seeded.Staff.Jurisdiction, body.GetProperty("jurisdiction").GetString());
        Assert.Equal(Seeded.Staff.Roles, body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Userinfo_with_openid_only_returns_just_the_subject()
    {
        var tokens = await SignIn("openid");
        var (status, body, _) = await UserInfo(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["sub"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Userinfo_without_the_openid_scope_is_403_insufficient_scope()
    {
        // identity.admin makes the token's audience xuncha.identity, but it was not asked for openid.
        var tokens = await SignIn("identity.admin");
        Assert.Contains("xuncha.identity", Jwt.Audiences(tokens.AccessToken));
        var (status, _, response) = await UserInfo(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Userinfo_without_a_token_or_with_a_token_for_another_api_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfo(null)).Status);
        var agency = await Host.Client.ClientCredentialsAsync(Seeded.Agency, "planning");
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfo(agency.AccessToken)).Status);
    }

    [Fact]
    public async Task Revoking_a_refresh_token_makes_it_invalid_grant()
    {
        var tokens = await SignIn("openid offline_access");
        var revoked = await Host.Client.RevokeAsync(tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        (await Host.Client.RefreshAsync(tokens.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Revoking_an_unknown_token_or_an_access_token_is_still_200()
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.Client.RevokeAsync("never-issued")).Status);
        var tokens = await SignIn("openid offline_access");
        Assert.Equal(HttpStatusCode.OK, (await Host.Client.RevokeAsync(tokens.AccessToken)).Status);
        // Revoking the access token did not touch the refresh token.
        (await Host.Client.RefreshAsync(tokens.RefreshToken)).AssertIssued();
    }

    [Fact]
    public async Task Another_client_cannot_revoke_someone_elses_refresh_token()
    {
        var tokens = await SignIn("openid offline_access");
        var response = await Host.Client.PostFormAsync("/connect/revocation", new Dictionary<string, string> { ["token"] = tokens.RefreshToken },
            (Seeded.Agency.ClientId, Seeded.Agency.Secret));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        (await Host.Client.RefreshAsync(tokens.RefreshToken)).AssertIssued();
    }

    [Fact]
    public async Task Revocation_needs_client_authentication()
    {
        var response = await Host.Client.PostFormAsync("/connect/revocation", new Dictionary<string, string> { ["token"] = "x" },
            (Seeded.Agency.ClientId, "wrong-secret"));
        response.AssertError(HttpStatusCode.Unauthorized, "invalid_client");
    }
}
