using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Identity.Tests;

/// <summary>The admin API: platform admins manage users and clients within their own jurisdiction subtree.</summary>
[Collection(Servers.Name)]
public sealed class AdminApiTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    private static string Unique(string prefix) => prefix + "." + Guid.NewGuid().ToString("N")[..8];

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static IEnumerable<string> ErrorFields(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name.ToLowerInvariant()) : [];

    private async Task<bool> SignsIn(string username, string password)
    {
        using var browser = Host.NewBrowser();
        var page = await browser.OpenLoginPageAsync(browser.Request("openid"));
        using var response = await browser.SubmitLoginAsync(page, username, password);
        return response.StatusCode == HttpStatusCode.Redirect;
    }

    [Fact]
    public async Task A_platform_admin_creates_a_user_in_its_own_jurisdiction_who_can_then_sign_in()
    {
        using var admin = await Host.AdminAsync();
        var username = Unique("zhang");
        using var response = await admin.Http.PostAsJsonAsync("/admin/users",
            AdminApi.UserBody(username, "Zhang-Passw0rd!", Seeded.City, [PlatformRoles.ClueOfficer]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/admin/users/{username}", response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(username, created.GetProperty("username").GetString());
        Assert.Equal(Seeded.City, created.GetProperty("jurisdiction").GetString());
        Assert.Equal([PlatformRoles.ClueOfficer], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(created.TryGetProperty("password", out _));

        Assert.True(await SignsIn(username, "Zhang-Passw0rd!"));
        var listed = await admin.Http.GetFromJsonAsync<JsonElement>("/admin/users");
        Assert.Contains(listed.EnumerateArray(), u => u.GetProperty("username").GetString() == username);
        var userId = created.GetProperty("id").GetString();
        Assert.True(await Host.WithDb(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "user.created" && a.EntityId == userId)));
    }

    [Fact]
    public async Task A_platform_admin_may_create_users_below_its_jurisdiction()
    {
        using var admin = await Host.AdminAsync();
        using var response = await admin.Http.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Unique("county"), "County-Passw0rd!", Seeded.County));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData(Seeded.OtherCity)]
    [InlineData("no-such-jurisdiction")]
    public async Task A_jurisdiction_outside_the_admins_subtree_is_403_and_nothing_is_written(string jurisdiction)
    {
        using var admin = await Host.AdminAsync();
        var before = await Host.UserCountAsync();
        using var response = await admin.Http.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Unique("outside"), "Outside-Passw0rd!", jurisdiction));
        var problem = await Problem(response, HttpStatusCode.Forbidden);
        Assert.Contains(jurisdiction, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Host.UserCountAsync());
    }

    [Fact]
    public async Task A_county_admin_cannot_reach_up_to_the_city()
    {
        using var admin = await Host.AdminAsync();
        var countyAdmin = await admin.CreateUserAsync(Unique("countyadmin"), [PlatformRoles.PlatformAdmin], Seeded.County);
        using var browser = Host.NewBrowser();
        var token = (await browser.SignInForTokensAsync(countyAdmin.Username, countyAdmin.Password, "openid identity.admin")).AccessToken;
        using var asCounty = Host.WithToken(token);

        using var up = await asCounty.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Unique("up"), "Upward-Passw0rd!", Seeded.City));
        await Problem(up, HttpStatusCode.Forbidden);
        using var disableCityAdmin = await asCounty.PostAsync($"/admin/users/{Seeded.Admin.Username}/disable", null);
        await Problem(disableCityAdmin, HttpStatusCode.Forbidden);
        using var own = await asCounty.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Unique("own"), "OwnCounty-Passw0rd!", Seeded.County));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);

        var visible = (await asCounty.GetFromJsonAsync<JsonElement>("/admin/users")).EnumerateArray().Select(u => u.GetProperty("jurisdiction").GetString()).ToList();
        Assert.NotEmpty(visible);
        Assert.All(visible, j => Assert.Equal(Seeded.County, j));
    }

    [Fact]
    public async Task A_duplicate_username_is_409()
    {
        using var admin = await Host.AdminAsync();
        var before = await Host.UserCountAsync();
        using var response = await admin.Http.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Seeded.Staff.Username, "Another-Passw0rd!", Seeded.County));
        await Problem(response, HttpStatusCode.Conflict);
        Assert.Equal(before, await Host.UserCountAsync());
    }

    public static TheoryData<string, string> BadUsers => new()
    {
        { """{"password":"Valid-Passw0rd!","displayName":"x","jurisdiction":"test-city","agency":"a"}""", "username" },
        { """{"username":"ok.name","displayName":"x","jurisdiction":"test-city","agency":"a"}""", "password" },
        { """{"username":"ok.name","password":"Sh0rt!","displayName":"x","jurisdiction":"test-city","agency":"a"}""", "password" },
        { """{"username":"ok.name","password":"alllowercaseletters","displayName":"x","jurisdiction":"test-city","agency":"a"}""", "password" },
        { """{"username":"no spaces allowed","password":"Valid-Passw0rd!","displayName":"x","jurisdiction":"test-city","agency":"a"}""", "username" },
        { """{"username":"ok.name","password":"Valid-Passw0rd!","displayName":"","jurisdiction":"test-city","agency":"a"}""", "displayname" },
        { """{"username":"ok.name","password":"Valid-Passw0rd!","displayName":"x","jurisdiction":"test-city"}""", "agency" },
        { """{"username":"ok.name","password":"Valid-Passw0rd!","displayName":"x","jurisdiction":"test-city","agency":"a","roles":["emperor"]}""", "roles" },
        { """{"username":"ok.name","password":12345,"displayName":"x","jurisdiction":"test-city","agency":"a"}""", "password" },
    };

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_nothing_is_written(string body, string field)
    {
        using var admin = await Host.AdminAsync();
        var before = await Host.UserCountAsync();
        using var response = await admin.Http.PostAsync("/admin/users", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, ErrorFields(problem));
        Assert.Equal(before, await Host.UserCountAsync());
    }

    [Theory]
    [InlineData("{\"username\": \"x\", ")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        using var admin = await Host.AdminAsync();
        var before = await Host.UserCountAsync();
        using var response = await admin.Http.PostAsync("/admin/users", new StringContent(body, Encoding.UTF8, "application/json"));
        await Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await Host.UserCountAsync());
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem()
    {
        using var admin = await Host.AdminAsync();
        var before = await Host.UserCountAsync();
        var body = JsonSerializer.Serialize(AdminApi.UserBody(Unique("big"), "Big-Passw0rd!" + new string('x', 2 * 1024 * 1024)));
        using var response = await admin.Http.PostAsync("/admin/users", new StringContent(body, Encoding.UTF8, "application/json"));
        await Problem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await Host.UserCountAsync());
    }

    [Fact]
    public async Task A_token_without_the_admin_role_is_403_and_no_token_is_401()
    {
        var before = await Host.UserCountAsync();
        using var staff = Host.WithToken(await Host.UserTokenAsync(Seeded.Staff));
        using var forbidden = await staff.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Unique("staffmade"), "Staff-Made-Passw0rd!"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var anonymous = Host.WithToken(null);
        using var unauthorized = await anonymous.PostAsJsonAsync("/admin/users", AdminApi.UserBody(Unique("anon"), "Anon-Made-Passw0rd!"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        using var list = await anonymous.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(before, await Host.UserCountAsync());
    }

    [Fact]
    public async Task An_admins_token_without_the_identity_admin_scope_cannot_use_the_admin_api()
    {
        // A token the admin got for signing in to some application (openid profile) must not work as an admin credential.
        using var signInOnly = Host.WithToken(await Host.UserTokenAsync(Seeded.Admin, "openid profile"));
        using var response = await signInOnly.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_new_client_gets_its_secret_once_and_the_secret_works()
    {
        using var admin = await Host.AdminAsync();
        var clientId = Unique("audit-sys");
        using var response = await admin.Http.PostAsJsonAsync("/admin/clients", AdminApi.ClientBody(clientId, ["audit", "fieldwork"], [PlatformRoles.AuditOfficer]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secret = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;
        Assert.True(secret.Length >= 40, "a 256-bit secret");

        var token = await Host.Client.ClientCredentialsAsync(clientId, secret, "audit");
        token.AssertIssued();
        var claims = Jwt.Payload(token.AccessToken);
        Assert.Equal([PlatformRoles.AuditOfficer], claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["xuncha.audit"], Jwt.Audiences(token.AccessToken));

        // Never shown again, and only a hash is stored.
        var listed = await admin.Http.GetStringAsync("/admin/clients");
        Assert.Contains(clientId, listed);
        Assert.DoesNotContain(secret, listed);
        var stored = await Host.WithDb(db => db.Clients.Where(c => c.ClientId == clientId).Select(c => c.SecretHash).SingleAsync());
        Assert.NotEqual(secret, stored);
    }

    [Fact]
    public async Task Bad_client_input_is_a_400_problem_and_a_duplicate_is_409()
    {
        using var admin = await Host.AdminAsync();
        using var badGrant = await admin.Http.PostAsJsonAsync("/admin/clients", AdminApi.ClientBody(Unique("c"), ["audit"], [], grants: ["password"]));
        Assert.Contains("grants", ErrorFields(await Problem(badGrant, HttpStatusCode.BadRequest)));
        using var badScope = await admin.Http.PostAsJsonAsync("/admin/clients", AdminApi.ClientBody(Unique("c"), ["everything"], []));
        Assert.Contains("scopes", ErrorFields(await Problem(badScope, HttpStatusCode.BadRequest)));
        using var badId = await admin.Http.PostAsJsonAsync("/admin/clients", AdminApi.ClientBody("UPPER CASE", ["audit"], []));
        Assert.Contains("clientid", ErrorFields(await Problem(badId, HttpStatusCode.BadRequest)));

        var clientId = Unique("dup");
        await admin.CreateClientAsync(clientId, ["audit"], []);
        using var duplicate = await admin.Http.PostAsJsonAsync("/admin/clients", AdminApi.ClientBody(clientId, ["audit"], []));
        await Problem(duplicate, HttpStatusCode.Conflict);
        using var outside = await admin.Http.PostAsJsonAsync("/admin/clients", AdminApi.ClientBody(Unique("far"), ["audit"], [], jurisdiction: Seeded.OtherCity));
        await Problem(outside, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Rotating_a_client_secret_stops_the_old_one_at_once()
    {
        using var admin = await Host.AdminAsync();
        var client = await admin.CreateClientAsync(Unique("rotating"), ["audit"], [PlatformRoles.AuditOfficer]);
        (await Host.Client.ClientCredentialsAsync(client)).AssertIssued();

        using var rotated = await admin.PostAsync($"/admin/clients/{client.ClientId}/secret");
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(client.Secret, newSecret);

        (await Host.Client.ClientCredentialsAsync(client)).AssertError(HttpStatusCode.Unauthorized, "invalid_client");
        (await Host.Client.ClientCredentialsAsync(client with { Secret = newSecret })).AssertIssued();

        using var missing = await admin.PostAsync("/admin/clients/no-such-client/secret");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Disabling_a_user_kills_their_refresh_tokens_and_their_sign_in()
    {
        using var admin = await Host.AdminAsync();
        var user = await admin.CreateUserAsync(Unique("leaving"), [PlatformRoles.GroupMember]);
        using var browser = Host.NewBrowser();
        var tokens = await browser.SignInForTokensAsync(user.Username, user.Password, "openid profile offline_access");
        using (var userinfo = Host.WithToken(tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await userinfo.GetAsync("/connect/userinfo")).StatusCode);
        }

        using var disabled = await admin.PostAsync($"/admin/users/{user.Username}/disable");
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);

        (await Host.Client.RefreshAsync(tokens.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        Assert.False(await SignsIn(user.Username, user.Password));
        // The existing browser session no longer yields codes: it is sent to the sign-in page.
        await browser.OpenLoginPageAsync(browser.Request("openid"));
        using (var userinfo = Host.WithToken(tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await userinfo.GetAsync("/connect/userinfo")).StatusCode);
        }

        using var enabled = await admin.PostAsync($"/admin/users/{user.Username}/enable");
        Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        Assert.True(await SignsIn(user.Username, user.Password));
        // Re-enabling does not bring revoked refresh tokens back.
        (await Host.Client.RefreshAsync(tokens.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Roles_can_be_granted_and_revoked_and_show_in_new_tokens()
    {
        using var admin = await Host.AdminAsync();
        var user = await admin.CreateUserAsync(Unique("promoted"), [PlatformRoles.GroupMember]);
        using var granted = await admin.Http.PostAsJsonAsync($"/admin/users/{user.Username}/roles", new { role = PlatformRoles.GroupLeader });
        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        using var unknown = await admin.Http.PostAsJsonAsync($"/admin/users/{user.Username}/roles", new { role = "emperor" });
        Assert.Contains("role", ErrorFields(await Problem(unknown, HttpStatusCode.BadRequest)));

        var roles = Jwt.Payload(await Host.UserTokenAsync(user, "openid")).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal([PlatformRoles.GroupLeader, PlatformRoles.GroupMember], roles);

        using var revoked = await admin.Http.DeleteAsync($"/admin/users/{user.Username}/roles/{PlatformRoles.GroupMember}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        roles = Jwt.Payload(await Host.UserTokenAsync(user, "openid")).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal([PlatformRoles.GroupLeader], roles);
    }

    [Fact]
    public async Task Unknown_users_are_404()
    {
        using var admin = await Host.AdminAsync();
        using var response = await admin.PostAsync("/admin/users/nobody-here/disable");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>Decisions that must bite before tokens expire: a disabled admin, a signed-out browser.</summary>
[Collection(Servers.Name)]
public sealed class SessionEndTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task A_disabled_admins_unexpired_token_no_longer_opens_the_admin_api()
    {
        using var admin = await Host.AdminAsync();
        var second = await admin.CreateUserAsync("admin.wang." + Guid.NewGuid().ToString("N")[..6], [PlatformRoles.PlatformAdmin]);
        using var secondAdmin = Host.WithToken(await Host.UserTokenAsync(second));
        Assert.Equal(HttpStatusCode.OK, (await secondAdmin.GetAsync("/admin/users")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/admin/users/{second.Username}/disable")).StatusCode);

        var refused = await secondAdmin.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Logout_ends_the_sign_in_session()
    {
        using var admin = await Host.AdminAsync();
        var user = await admin.CreateUserAsync("zhao." + Guid.NewGuid().ToString("N")[..6], [PlatformRoles.GroupMember]);
        using var browser = Host.NewBrowser();
        await browser.SignInAsync(user.Username, user.Password, browser.Request("openid"));
        // Signed in: authorize goes straight back to the client.
        await browser.FollowToClientAsync(browser.Request("openid").Url);

        using var logout = await browser.Http.GetAsync("/connect/logout");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Contains("退出", await logout.Content.ReadAsStringAsync());

        // Signed out: authorize shows the sign-in page again.
        await browser.OpenLoginPageAsync(browser.Request("openid"));
    }
}
