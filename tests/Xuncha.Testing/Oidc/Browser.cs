using Xunit;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Xuncha.Testing.Oidc;

public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The query of GET /connect/authorize; null values are left out.</summary>
public sealed record AuthorizeRequest(string ClientId, string RedirectUri, string Scope, Pkce Pkce)
{
    public string ResponseType { get; init; } = "code";
    public string State { get; init; } = "st-" + Guid.NewGuid().ToString("N")[..10];
    public string? Nonce { get; init; } = "n-" + Guid.NewGuid().ToString("N")[..10];
    public string? CodeChallenge { get; init; } = Pkce.Challenge;
    public string? CodeChallengeMethod { get; init; } = "S256";
    public string? Prompt { get; init; }

    public string Url => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["response_type"] = ResponseType, ["client_id"] = ClientId, ["redirect_uri"] = RedirectUri, ["scope"] = Scope,
        ["state"] = State, ["nonce"] = Nonce, ["code_challenge"] = CodeChallenge, ["code_challenge_method"] = CodeChallengeMethod, ["prompt"] = Prompt,
    }.Where(p => p.Value is not null));
}

/// <summary>The sign-in form as the page rendered it: every hidden field (antiforgery token, returnUrl).</summary>
public sealed record LoginForm(IReadOnlyDictionary<string, string> Hidden, string Html)
{
    private static readonly Regex HiddenInput = new("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">", RegexOptions.Compiled);

    public static LoginForm Parse(string html) =>
        new(HiddenInput.Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value)), html);
}

/// <summary>
/// A person's browser against the identity service: cookies kept, redirects not followed, so each step of the
/// authorization code flow is visible.
/// </summary>
public sealed class Browser(HttpClient http, string clientId, string redirectUri) : IDisposable
{
    public HttpClient Http => http;
    public string ClientId => clientId;
    public string RedirectUri => redirectUri;

    public AuthorizeRequest Request(string scope) => new(clientId, redirectUri, scope, Pkce.New());

    public Task<HttpResponseMessage> AuthorizeAsync(AuthorizeRequest request) => http.GetAsync(request.Url);

    /// <summary>GET /connect/authorize for a browser without a session: the sign-in page.</summary>
    public async Task<LoginForm> OpenLoginPageAsync(AuthorizeRequest request)
    {
        using var response = await AuthorizeAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected the sign-in page, got {(int)response.StatusCode} {response.Headers.Location} {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return LoginForm.Parse(html);
    }

    public async Task<HttpResponseMessage> SubmitLoginAsync(LoginForm form, string username, string password)
    {
        var fields = form.Hidden.ToDictionary();
        fields["username"] = username;
        fields["password"] = password;
        return await http.PostAsync("/connect/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>authorize → sign-in page → POST login → back to authorize → redirect to the client; the client's callback URI.</summary>
    public async Task<Uri> SignInAsync(string username, string password, AuthorizeRequest request)
    {
        var form = await OpenLoginPageAsync(request);
        using var login = await SubmitLoginAsync(form, username, password);
        Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"sign-in failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        var back = login.Headers.Location!;
        Assert.StartsWith("/connect/authorize?", back.OriginalString);
        return await FollowToClientAsync(back.OriginalString);
    }

    /// <summary>GET an authorize URL with the session cookie; the redirect to the client.</summary>
    public async Task<Uri> FollowToClientAsync(string authorizeUrl)
    {
        using var response = await http.GetAsync(authorizeUrl);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect to the client, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!;
        Assert.StartsWith(redirectUri + "?", location.OriginalString);
        return location;
    }

    public static Dictionary<string, string> Query(Uri callback) =>
        QueryHelpers.ParseQuery(callback.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public async Task<(string Code, AuthorizeRequest Request)> SignInForCodeAsync(string username, string password, string scope)
    {
        var request = Request(scope);
        var callback = Query(await SignInAsync(username, password, request));
        Assert.Equal(request.State, callback["state"]);
        return (callback["code"], request);
    }

    public Task<OAuthResponse> RedeemAsync(string code, string verifier, string? redirect = null) =>
        http.PostFormAsync("/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["code_verifier"] = verifier,
            ["redirect_uri"] = redirect ?? redirectUri, ["client_id"] = clientId,
        });

    /// <summary>The whole flow: tokens for <paramref name="username"/>.</summary>
    public async Task<OAuthResponse> SignInForTokensAsync(string username, string password, string scope)
    {
        var (code, request) = await SignInForCodeAsync(username, password, scope);
        var tokens = await RedeemAsync(code, request.Pkce.Verifier);
        tokens.AssertIssued();
        return tokens;
    }

    public void Dispose() => http.Dispose();
}
