using System.Net.Http.Headers;
using System.Text.Json;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>
/// What every response to a fuzzed request must be: never a 5xx; every 4xx an RFC 9457 ProblemDetails — except
/// identity's sign-in endpoints, which answer in their protocol's own format (RFC 6749 §5.2 JSON at token and
/// revocation, RFC 6750 WWW-Authenticate at userinfo, an HTML page for the person at authorize and login).
/// </summary>
public static class ResponseRules
{
    /// <summary>Null when the response is acceptable, else what is wrong with it.</summary>
    public static string? Check(FuzzRequest request, int status, MediaTypeHeaderValue? contentType, HttpResponseHeaders headers, string body)
    {
        if (status >= 500) return "server error";
        switch (request.Expect)
        {
            case Expect.Unauthorized when status != 401: return "expected 401 without a usable token";
            case Expect.TooLarge when status != 413: return "expected 413 for a body over the limit";
            case Expect.ProtocolRejection: return status == 400 ? null : "expected Kestrel's 400 for a NUL byte in the request target";
        }
        if (status < 400) return null;
        return request.Path.Split('?')[0] switch
        {
            "/connect/token" or "/connect/revocation" => OAuthError(status, contentType, body),
            "/connect/userinfo" => status is 401 or 403 && headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer")
                ? null : status == 429 ? OAuthError(status, contentType, body) : "userinfo error without a Bearer WWW-Authenticate challenge (RFC 6750 §3)",
            "/connect/authorize" or "/connect/login" or "/connect/logout" => status == 429 ? OAuthError(status, contentType, body)
                : contentType?.MediaType == "text/html" ? null : "sign-in page error is not an HTML page",
            _ => ProblemDetails(status, contentType, body),
        };
    }

    public static string? ProblemDetails(int status, MediaTypeHeaderValue? contentType, string body)
    {
        if (contentType?.MediaType != "application/problem+json") return $"content type {contentType?.MediaType ?? "(none)"} is not application/problem+json";
        var json = Parse(body);
        if (json is not { ValueKind: JsonValueKind.Object } problem) return "body is not a JSON object";
        if (!problem.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || s.GetInt32() != status) return $"'status' is not {status}";
        if (!problem.TryGetProperty("title", out var t) || t.ValueKind != JsonValueKind.String || t.GetString()!.Length == 0) return "no 'title'";
        return null;
    }

    public static string? OAuthError(int status, MediaTypeHeaderValue? contentType, string body)
    {
        if (contentType?.MediaType != "application/json") return $"content type {contentType?.MediaType ?? "(none)"} is not application/json (RFC 6749 §5.2)";
        var json = Parse(body);
        if (json is not { ValueKind: JsonValueKind.Object } error) return "body is not a JSON object";
        if (!error.TryGetProperty("error", out var e) || e.ValueKind != JsonValueKind.String || e.GetString()!.Length == 0) return "no 'error' code (RFC 6749 §5.2)";
        if (error.TryGetProperty("error_description", out var d) && d.ValueKind != JsonValueKind.String) return "'error_description' is not a string";
        return null;
    }

    private static JsonElement? Parse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
