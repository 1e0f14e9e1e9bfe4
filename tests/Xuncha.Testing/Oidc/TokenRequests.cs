using System.Net.Http.Headers;
using System.Text;

namespace Xuncha.Testing.Oidc;

/// <summary>Requests to the token and revocation endpoints, form-encoded as RFC 6749 requires.</summary>
public static class TokenRequests
{
    public static async Task<OAuthResponse> PostFormAsync(this HttpClient http, string path, IEnumerable<KeyValuePair<string, string>> form,
        (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } b)
        {
            request.Headers.Authorization = BasicAuth(b.Id, b.Secret);
        }
        using var response = await http.SendAsync(request);
        return await OAuthResponse.ReadAsync(response);
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded.</summary>
    public static AuthenticationHeaderValue BasicAuth(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret))));

    public static Task<OAuthResponse> ClientCredentialsAsync(this HttpClient http, string clientId, string secret, string? scope = null, bool basic = true)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null) form["scope"] = scope;
        if (basic) return http.PostFormAsync("/connect/token", form, (clientId, secret));
        form["client_id"] = clientId;
        form["client_secret"] = secret;
        return http.PostFormAsync("/connect/token", form);
    }

    public static Task<OAuthResponse> RefreshAsync(this HttpClient http, string refreshToken, string clientId, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId };
        if (scope is not null) form["scope"] = scope;
        return http.PostFormAsync("/connect/token", form);
    }

    public static Task<OAuthResponse> RevokeAsync(this HttpClient http, string token, string clientId) =>
        http.PostFormAsync("/connect/revocation", new Dictionary<string, string> { ["token"] = token, ["client_id"] = clientId });
}
