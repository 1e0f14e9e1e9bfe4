using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>One principal's answer to one operation.</summary>
public sealed record ProbeResult(string Key, string Principal, HttpStatusCode Status, string Body)
{
    public string Decision => Authorization.Decision.Of(Status, Principal == Principals.Anonymous);
}

/// <summary>
/// The smallest request that reaches an operation's gate: an id nobody has, a name nobody uses and an empty body. An
/// allowed caller then gets 2xx/400/404/409/415/422, a refused one 403; nothing valid enough to change shared state.
/// </summary>
public static class Probe
{
    /// <summary>An id no record of the demo data or of another test has.</summary>
    public static readonly Guid UnknownId = Guid.Parse("e2e0a11c-0000-4000-8000-00000000a7e2");

    public const string UnknownName = "e2e-matrix-unknown";

    public static HttpRequestMessage Request(ApiOperation op)
    {
        var input = ProbeInputs.ByKey.GetValueOrDefault(op.Key);
        var path = (input?.Path ?? op.PathWith(PathValue)) + (input?.Query is { } query ? "?" + query : "");
        var request = new HttpRequestMessage(new HttpMethod(op.Method), path);
        if (input?.Json is { } json)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        else if (op.Body is { } body)
        {
            request.Content = EmptyBody(body.MediaType);
        }
        return request;
    }

    public static async Task<ProbeResult> SendAsync(HttpClient http, string principal, ApiOperation op, CancellationToken ct)
    {
        using var request = Request(op);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return new ProbeResult(op.Key, principal, response.StatusCode, text.Length > 300 ? text[..300] + "…" : text);
    }

    private static string PathValue(JsonElement parameter)
    {
        var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
        string? Read(string name) => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return (Read("format"), Read("type")) switch
        {
            ("uuid", _) => UnknownId.ToString(),
            (_, "integer") => "1",
            _ => UnknownName,
        };
    }

    private static HttpContent EmptyBody(string mediaType)
    {
        if (mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            // A tiny file part: an evidence upload binds its IFormFile before the gate runs.
            var file = new ByteArrayContent("e2e"u8.ToArray());
            file.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain");
            return new MultipartFormDataContent { { new StringContent("e2e"), "reason" }, { file, "file", "e2e.txt" } };
        }
        if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return new StringContent("{}", Encoding.UTF8, "application/json");
        }
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }
}
