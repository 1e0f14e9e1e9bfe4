using Xuncha.Testing.Oidc;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>The shared token requests with this suite's seeded clients as defaults.</summary>
public static class SeededTokenRequests
{
    public static Task<OAuthResponse> ClientCredentialsAsync(this HttpClient http, SeededClient client, string? scope = null, bool basic = true) =>
        http.ClientCredentialsAsync(client.ClientId, client.Secret, scope, basic);

    public static Task<OAuthResponse> RefreshAsync(this HttpClient http, string refreshToken, string? scope = null) =>
        TokenRequests.RefreshAsync(http, refreshToken, Seeded.WebClient, scope);

    public static Task<OAuthResponse> RevokeAsync(this HttpClient http, string token) =>
        TokenRequests.RevokeAsync(http, token, Seeded.WebClient);
}
