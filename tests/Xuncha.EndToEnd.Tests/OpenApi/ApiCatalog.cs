using System.Net.Http.Json;
using System.Text.Json;

namespace Xuncha.EndToEnd.Tests.OpenApi;

/// <summary>One operation of one service's OpenAPI document, addressed through the gateway.</summary>
public sealed record ApiOperation(string Api, string Method, string Template, JsonElement Operation, JsonElement Document)
{
    /// <summary>"POST /api/clues/clues/{id}/status": the key of the authorization matrix and of fuzzing reports.</summary>
    public string Key => $"{Method} /api/{Api}{Template}";

    public string GatewayTemplate => $"/api/{Api}{Template}";

    public bool IsPublic => Template.StartsWith("/public/", StringComparison.Ordinal);

    public IEnumerable<JsonElement> Parameters =>
        Operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().Select(Resolve) : [];

    /// <summary>The request body's media type and schema ($ref resolved), when the operation takes one.</summary>
    public (string MediaType, JsonElement Schema)? Body
    {
        get
        {
            if (!Operation.TryGetProperty("requestBody", out var body) || !Resolve(body).TryGetProperty("content", out var content)) return null;
            var first = content.EnumerateObject().FirstOrDefault();
            if (first.Value.ValueKind != JsonValueKind.Object) return null;
            return (first.Name, first.Value.TryGetProperty("schema", out var s) ? Resolve(s) : default);
        }
    }

    /// <summary>Follows a local <c>$ref</c> (#/components/…) to its target; anything else is returned as it is.</summary>
    public JsonElement Resolve(JsonElement element)
    {
        for (var hops = 0; hops < 16 && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var r); hops++)
        {
            var target = Document;
            foreach (var part in r.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part.Replace("~1", "/").Replace("~0", "~"));
            }
            element = target;
        }
        return element;
    }

    /// <summary>The gateway path with each path parameter filled in by <paramref name="value"/> (URL-escaped).</summary>
    public string PathWith(Func<JsonElement, string> value)
    {
        var path = GatewayTemplate;
        foreach (var p in Parameters.Where(p => p.GetProperty("in").GetString() == "path"))
        {
            path = path.Replace("{" + p.GetProperty("name").GetString() + "}", Uri.EscapeDataString(value(p)));
        }
        return path;
    }
}

/// <summary>Every operation of every API behind the gateway, read from the documents the services serve.</summary>
public static class ApiCatalog
{
    public static readonly string[] Apis = ["planning", "staffing", "fieldwork", "clues", "audit", "rectification", "identity"];

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static async Task<IReadOnlyList<ApiOperation>> LoadAsync(HttpClient gateway)
    {
        var operations = new List<ApiOperation>();
        foreach (var api in Apis)
        {
            var document = (await gateway.GetFromJsonAsync<JsonElement>($"/api/{api}/openapi/v1.json")).Clone();
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
                {
                    operations.Add(new ApiOperation(api, method.Name.ToUpperInvariant(), path.Name, method.Value, document));
                }
            }
        }
        return operations;
    }
}
