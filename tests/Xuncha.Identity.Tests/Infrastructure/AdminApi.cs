using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>The admin API as a platform admin uses it, for tests that need users and clients of their own.</summary>
public sealed class AdminApi(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public static object UserBody(string username, string password, string jurisdiction = Seeded.City, string[]? roles = null, string agency = "inspection-office") =>
        new { username, password, displayName = "测试用户 " + username, jurisdiction, agency, roles = roles ?? [] };

    public async Task<SeededUser> CreateUserAsync(string username, string[] roles, string jurisdiction = Seeded.City)
    {
        var user = new SeededUser(username, "Pw-" + Guid.NewGuid().ToString("N")[..12] + "x9!", "测试用户 " + username, jurisdiction, "inspection-office", roles);
        using var response = await http.PostAsJsonAsync("/admin/users", UserBody(user.Username, user.Password, jurisdiction, roles));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return user;
    }

    public static object ClientBody(string clientId, string[] scopes, string[] roles, string[]? grants = null, string jurisdiction = Seeded.City) =>
        new { clientId, displayName = "系统 " + clientId, agency = "audit-bureau", jurisdiction, grants = grants ?? ["client_credentials"], scopes, roles };

    /// <summary>A confidential client_credentials client; its secret as the API showed it (once).</summary>
    public async Task<SeededClient> CreateClientAsync(string clientId, string[] scopes, string[] roles, string jurisdiction = Seeded.City)
    {
        using var response = await http.PostAsJsonAsync("/admin/clients", ClientBody(clientId, scopes, roles, jurisdiction: jurisdiction));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating client {clientId}: {(int)response.StatusCode} {text}");
        var secret = JsonDocument.Parse(text).RootElement.GetProperty("clientSecret").GetString()!;
        return new SeededClient(clientId, secret, "audit-bureau", jurisdiction, roles, scopes);
    }

    public Task<HttpResponseMessage> PostAsync(string path) => http.PostAsync(path, null);

    public void Dispose() => http.Dispose();
}
