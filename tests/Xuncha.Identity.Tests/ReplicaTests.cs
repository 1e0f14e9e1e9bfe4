using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>
/// Two identity replicas on one database, as in production: a browser's requests and a client's token requests land on
/// either, so sign-in state (data protection keys) and signing keys must be shared through the database.
/// </summary>
[Collection(Servers.Name)]
public sealed class ReplicaTests(PlatformServers servers)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Identity:KeyPropagationSeconds"] = "0",
        ["Identity:KeyCacheSeconds"] = "0",
    };

    /// <summary>A browser whose cookie jar is kept by hand, so each request can go to another replica.</summary>
    private sealed class CookieJar
    {
        private readonly Dictionary<string, string> cookies = [];

        public async Task<HttpResponseMessage> SendAsync(IdentityHost replica, HttpMethod method, string url, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = content };
            if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await replica.Client.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var cookie in SetCookieHeaderValue.ParseList(set.ToList()))
                {
                    cookies[cookie.Name.ToString()] = cookie.Value.ToString();
                }
            }
            return response;
        }
    }

    [Fact]
    public async Task A_sign_in_started_on_one_replica_finishes_on_the_other()
    {
        await using var a = await IdentityHost.StartAsync(servers, Settings);
        await using var b = await IdentityHost.StartAsync(servers, Settings, database: a.Database);
        var jar = new CookieJar();
        var request = new AuthorizeRequest(Seeded.WebClient, Seeded.WebRedirect, "openid profile", Pkce.New());

        using var page = await jar.SendAsync(a, HttpMethod.Get, request.Url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = LoginForm.Parse(await page.Content.ReadAsStringAsync()).Hidden.ToDictionary();
        form["username"] = Seeded.Staff.Username;
        form["password"] = Seeded.Staff.Password;

        using var login = await jar.SendAsync(b, HttpMethod.Post, "/connect/login", new FormUrlEncodedContent(form));
        Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"the antiforgery token of replica a was refused by b: {(int)login.StatusCode}");

        using var back = await jar.SendAsync(a, HttpMethod.Get, login.Headers.Location!.OriginalString);
        Assert.True(back.StatusCode == HttpStatusCode.Redirect && back.Headers.Location!.OriginalString.StartsWith(Seeded.WebRedirect + "?"),
            $"the session cookie of replica b was not honoured by a: {(int)back.StatusCode}");
        var code = Browser.Query(back.Headers.Location!)["code"];

        var tokens = await b.Client.PostFormAsync("/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["code_verifier"] = request.Pkce.Verifier,
            ["redirect_uri"] = Seeded.WebRedirect, ["client_id"] = Seeded.WebClient,
        });
        tokens.AssertIssued();
        using var userinfo = a.WithToken(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await userinfo.GetAsync("/connect/userinfo")).StatusCode);
        // Shared through the database, not through this machine's file system (pods have none in common).
        Assert.True(await a.WithDb(db => db.DataProtectionKeys.AnyAsync()));
    }

    [Fact]
    public async Task A_key_rotated_on_one_replica_is_published_and_trusted_by_the_other()
    {
        await using var a = await IdentityHost.StartAsync(servers, Settings);
        await using var b = await IdentityHost.StartAsync(servers, Settings, database: a.Database);
        using var admin = await b.AdminAsync();
        var before = await a.UserTokenAsync(Seeded.Staff, "openid");

        using var rotated = await admin.PostAsync("/admin/signing-keys/rotate");
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);

        var fromB = await b.UserTokenAsync(Seeded.Staff, "openid");
        Assert.NotEqual(Jwt.Header(before).GetProperty("kid").GetString(), Jwt.Header(fromB).GetProperty("kid").GetString());
        Assert.Contains(Jwt.Header(fromB).GetProperty("kid").GetString(), Jwt.KeyIds(await Jwt.FetchJwksAsync(a.Client)));
        Assert.Equal(Jwt.Header(fromB).GetProperty("kid").GetString(),
            Jwt.Header((await a.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken).GetProperty("kid").GetString());
        foreach (var token in new[] { before, fromB })
        {
            using var userinfo = a.WithToken(token);
            Assert.Equal(HttpStatusCode.OK, (await userinfo.GetAsync("/connect/userinfo")).StatusCode);
        }
    }
}
