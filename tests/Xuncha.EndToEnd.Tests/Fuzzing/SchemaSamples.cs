using System.Text.Json;
using System.Text.Json.Nodes;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>
/// Valid-looking JSON built from an OpenAPI schema (types, formats, enums, ranges), and the malformed and boundary
/// values a field of that schema can be given instead.
/// </summary>
public sealed class SchemaSamples(ApiOperation operation, Random random)
{
    public JsonNode? Sample(JsonElement schema, int depth = 0)
    {
        schema = operation.Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object || depth > 6) return null;
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                // Prefer a branch that is not the bare "null" type.
                var branch = options.EnumerateArray().Select(operation.Resolve).FirstOrDefault(o => TypeOf(o) != "null");
                return branch.ValueKind == JsonValueKind.Object ? Sample(branch, depth + 1) : null;
            }
        }
        switch (TypeOf(schema))
        {
            case "object":
                var obj = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var p in properties.EnumerateObject()) obj[p.Name] = Sample(p.Value, depth + 1);
                }
                return obj;
            case "array":
                var item = schema.TryGetProperty("items", out var items) ? Sample(items, depth + 1) : JsonValue.Create("fz");
                return new JsonArray(item);
            case "integer":
                return JsonValue.Create((long)Math.Max(1, Number(schema, "minimum") ?? 1));
            case "number":
                return JsonValue.Create(Math.Max(1, Number(schema, "minimum") ?? 1));
            case "boolean":
                return JsonValue.Create(true);
            case "string":
                return JsonValue.Create(Text(schema));
            default:
                return null;
        }
    }

    /// <summary>The first type that is not "null" ("type": ["null", "string"] in OpenAPI 3.1); "object" for a bare property bag.</summary>
    public static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return null;
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String) return type.GetString();
            if (type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                return types.FirstOrDefault(t => t != "null") ?? "null";
            }
        }
        if (schema.TryGetProperty("properties", out _)) return "object";
        if (schema.TryGetProperty("enum", out _)) return "string";
        return null;
    }

    public static string? FormatOf(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;

    private string Text(JsonElement schema)
    {
        var text = FormatOf(schema) switch
        {
            "uuid" => Guid(),
            "date" => "2026-12-01",
            "date-time" => "2026-12-01T08:00:00+08:00",
            "email" => "fuzz@example.invalid",
            "uri" => "https://example.invalid/fuzz",
            _ => Pattern(schema),
        };
        var min = (int)(Number(schema, "minLength") ?? 0);
        return text.Length < min ? text + new string('z', min - text.Length) : text;
    }

    // Patterns in these documents are codes: "^[A-Z]{2}-[0-9]{2,4}$" (a supervision standard) or "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$".
    // The standard's is a seeded one: creating it conflicts (409) instead of adding an item to the shared platform's catalogue.
    private string Pattern(JsonElement schema) =>
        schema.TryGetProperty("pattern", out var p) && p.GetString()!.StartsWith("^[A-Z]{2}-", StringComparison.Ordinal)
            ? "RR-01"
            : $"fuzz-{random.Next(100000, 999999)}";

    public string Guid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private static double? Number(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : null;

    /// <summary>Values to put in place of a field of <paramref name="schema"/>: each a named mutation.</summary>
    public IEnumerable<(string Name, JsonNode? Value)> Mutations(JsonElement schema, bool withBigArray)
    {
        schema = operation.Resolve(schema);
        var type = TypeOf(schema);
        yield return ("null", null);
        yield return ("wrong-type", type switch
        {
            "string" => JsonValue.Create(12345),
            "integer" or "number" => JsonValue.Create("not-a-number"),
            "boolean" => JsonValue.Create("maybe"),
            "array" => new JsonObject { ["not"] = "an array" },
            _ => JsonValue.Create("not-an-object"),
        });
        yield return ("object-instead", new JsonObject { ["nested"] = new JsonArray(1, 2) });
        if (schema.TryGetProperty("enum", out _) || (schema.TryGetProperty("oneOf", out _) && type is null))
        {
            yield return ("invalid-enum", JsonValue.Create("no-such-value"));
            yield return ("enum-as-number", JsonValue.Create(99));
        }
        switch (type)
        {
            case "string":
                yield return ("empty", JsonValue.Create(""));
                yield return ("whitespace", JsonValue.Create("   "));
                yield return ("long-10k", JsonValue.Create(new string('长', 10_000)));
                yield return ("script", JsonValue.Create("<script>alert(1)</script>"));
                yield return ("sql", JsonValue.Create("'; DROP TABLE targets; --"));
                yield return ("control-chars", JsonValue.Create("a\u0000b\u001f\u202ec"));
                switch (FormatOf(schema))
                {
                    case "uuid":
                        yield return ("bad-uuid", JsonValue.Create("not-a-guid"));
                        yield return ("empty-uuid", JsonValue.Create("00000000-0000-0000-0000-000000000000"));
                        break;
                    case "date" or "date-time":
                        yield return ("bad-date", JsonValue.Create("2026-02-30"));
                        yield return ("min-date", JsonValue.Create(FormatOf(schema) == "date" ? "0001-01-01" : "0001-01-01T00:00:00Z"));
                        yield return ("max-date", JsonValue.Create(FormatOf(schema) == "date" ? "9999-12-31" : "9999-12-31T23:59:59Z"));
                        break;
                }
                break;
            case "integer" or "number":
                yield return ("negative", JsonValue.Create(-1));
                yield return ("zero", JsonValue.Create(0));
                yield return ("int-max", JsonValue.Create(int.MaxValue));
                yield return ("int-max+1", JsonValue.Create((long)int.MaxValue + 1));
                yield return ("int-min-1", JsonValue.Create((long)int.MinValue - 1));
                yield return ("fraction", JsonValue.Create(1.5));
                yield return ("huge", JsonNode.Parse("1e400"));
                yield return ("huge-integer", JsonNode.Parse("123456789012345678901234567890"));
                yield return ("numeric-string", JsonValue.Create("7"));
                break;
            case "array":
                yield return ("empty-array", new JsonArray());
                yield return ("array-of-null", new JsonArray((JsonNode?)null));
                yield return ("array-wrong-items", new JsonArray(JsonValue.Create(true), new JsonArray()));
                if (withBigArray)
                {
                    var item = schema.TryGetProperty("items", out var items) ? Sample(items) : JsonValue.Create("fz");
                    var big = new JsonArray();
                    for (var i = 0; i < 10_000; i++) big.Add(item?.DeepClone());
                    yield return ("array-10k", big);
                }
                break;
            case "object":
                yield return ("empty-object", new JsonObject());
                yield return ("array-instead", new JsonArray());
                break;
        }
        yield return ("deep-nesting", Nested(100));
    }

    public static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonObject { ["x"] = 1 };
        for (var i = 0; i < depth; i++) node = new JsonObject { ["x"] = node };
        return node;
    }
}
