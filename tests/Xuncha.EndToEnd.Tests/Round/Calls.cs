using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Xuncha.EndToEnd.Tests.Round;

/// <summary>
/// One request through the gateway with its expected status: a different answer fails the step with the body, so a
/// broken step says what the service said.
/// </summary>
internal static class Calls
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> Send(this HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected, string step,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Content = body switch
        {
            null => null,
            HttpContent content => content,
            _ => JsonContent.Create(body, options: Json),
        };
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{step}: {method} {path} answered {(int)response.StatusCode} instead of {(int)expected}: {Clip(text)}");
        return text.Length == 0 || response.Content.Headers.ContentType?.MediaType?.Contains("json") != true
            ? default
            : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> Get(this HttpClient http, string path, string step) => http.Send(HttpMethod.Get, path, null, HttpStatusCode.OK, step);

    public static Task<JsonElement> Post(this HttpClient http, string path, object? body, string step, HttpStatusCode expected = HttpStatusCode.OK) =>
        http.Send(HttpMethod.Post, path, body, expected, step);

    public static Task<JsonElement> Put(this HttpClient http, string path, object? body, string step, HttpStatusCode expected = HttpStatusCode.OK) =>
        http.Send(HttpMethod.Put, path, body, expected, step);

    /// <summary>A read whose answer is judged by the caller (for polling while an event is on its way).</summary>
    public static async Task<Observed> Observe(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        var body = response.IsSuccessStatusCode && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new Observed(response.StatusCode, body, text);
    }

    /// <summary>Polls a read until <paramref name="ready"/> holds; events cross services asynchronously.</summary>
    public static async Task<JsonElement> Await(this HttpClient http, string path, Func<JsonElement, bool> ready, string what, int seconds = 30)
    {
        var seen = await Eventually.Until(() => http.Observe(path), o => o.Status == HttpStatusCode.OK && ready(o.Body), TimeSpan.FromSeconds(seconds), what);
        return seen.Body;
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()
        ?? throw new InvalidOperationException($"'{name}' is null in {Clip(e.ToString())}");

    public static Guid Id(this JsonElement e, string name = "id") => e.GetProperty(name).GetGuid();

    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static uint Version(this JsonElement e) => e.GetProperty("version").GetUInt32();

    public static decimal Dec(this JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    public static IEnumerable<JsonElement> Items(this JsonElement e, string? name = null) =>
        (name is null ? e : e.GetProperty(name)).EnumerateArray();

    /// <summary>The token's <c>sub</c>: the platform account a cadre is linked to.</summary>
    public static string SubjectOf(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.GetProperty("sub").GetString()!;
    }

    public static string Clip(string text) => text.Length <= 1500 ? text : text[..1500] + "…";
}

internal sealed record Observed(HttpStatusCode Status, JsonElement Body, string Text)
{
    public override string ToString() => $"{(int)Status} {Calls.Clip(Text)}";
}
