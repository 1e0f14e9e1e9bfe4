using Xunit;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Xuncha.Testing.Oidc;

/// <summary>What /connect/token (or /connect/revocation) answered.</summary>
public sealed record OAuthResponse(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers, string? MediaType)
{
    public string? Error => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var e) ? e.GetString() : null;
    public string AccessToken => Required("access_token");
    public string RefreshToken => Required("refresh_token");
    public string IdToken => Required("id_token");
    public bool Has(string field) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(field, out _);

    private string Required(string field) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(field, out var v) ? v.GetString()! : throw new Xunit.Sdk.XunitException($"no {field} in {Status}: {Body}");

    /// <summary>RFC 6749 §5.2: the status, the error code, and a body of exactly error and error_description.</summary>
    public void AssertError(HttpStatusCode status, string error)
    {
        Assert.True(Status == status && Error == error, $"expected {(int)status} {error}, got {(int)Status} {Body}");
        Assert.Equal("application/json", MediaType);
        Assert.Equal(["error", "error_description"], Body.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(string.IsNullOrWhiteSpace(Body.GetProperty("error_description").GetString()));
        Assert.Contains("no-store", Headers.CacheControl?.ToString() ?? "");
    }

    public void AssertIssued()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected tokens, got {(int)Status} {Body}");
        Assert.Equal("Bearer", Body.GetProperty("token_type").GetString());
        Assert.Contains("no-store", Headers.CacheControl?.ToString() ?? "");
    }

    public static async Task<OAuthResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new OAuthResponse(response.StatusCode, body, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }
}
