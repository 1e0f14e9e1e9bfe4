using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>
/// The malformed and boundary requests for one operation of the catalog: path parameters, query parameters, JSON
/// bodies mutated field by field, non-JSON bodies, bad files, and the same request without or with a bad token.
/// </summary>
public sealed class InputGenerator
{
    /// <summary>Default limit of a request body at the gateway and in the services (RequestLimits.DefaultMaxBodyBytes).</summary>
    public const int BodyLimit = 1024 * 1024;

    /// <summary>The public intake route takes attachments: its own limit at the gateway (gateway appsettings).</summary>
    public const int PublicIntakeBodyLimit = 10 * 1024 * 1024;

    /// <summary>Path parameter values: unknown, malformed, boundary and hostile.</summary>
    public static readonly string[] BadPathValues =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", "99999999999999999999999", "-1", "0", "2147483648", "1.5",
        "", " ", "..%2F..%2Fadmin", "%2e%2e%2f", "%00", "巡察🔥Ω", "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x}",
        new string('a', 5000), "true", "null",
    ];

    /// <summary>Query parameter values: wrong types, out of range, int boundaries, hostile.</summary>
    public static readonly string[] BadQueryValues =
    [
        "abc", "-1", "0", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1.5", "", "true", "2026-02-30",
        "00000000-0000-0000-0000-000000000000", "' OR 1=1 --", "%00", "巡察", new string('q', 2000),
    ];

    private readonly ApiOperation operation;
    private readonly Random random;
    private readonly SchemaSamples samples;
    private readonly List<FuzzRequest> requests = [];
    private int slot;

    public InputGenerator(ApiOperation operation, int seed)
    {
        this.operation = operation;
        random = new Random(seed);
        samples = new SchemaSamples(operation, random);
        Valid = operation.Parameters.Where(p => In(p) == "path").ToDictionary(p => Name(p), p => ValidLooking(p));
    }

    /// <summary>A valid-looking (well-formed, unknown) value for every path parameter.</summary>
    public IReadOnlyDictionary<string, string> Valid { get; }

    /// <summary>Identity's sign-in endpoints keep their paths at the gateway (/connect, /.well-known), and are anonymous.</summary>
    public static bool IsOAuth(ApiOperation op) => op.Api == "identity" && (op.Template.StartsWith("/connect/", StringComparison.Ordinal) || op.Template.StartsWith("/.well-known/", StringComparison.Ordinal));

    public static bool IsAnonymous(ApiOperation op) => op.IsPublic || IsOAuth(op);

    /// <summary>State the whole shared platform depends on: only ever sent without a usable token.</summary>
    public static bool IsDisruptive(ApiOperation op) => op.Key == "POST /api/identity/admin/signing-keys/rotate";

    public string ValidPath => Path(Valid);

    /// <summary>The most valid request this generator can make, once as each principal: who gets past the role gate.</summary>
    public IEnumerable<FuzzRequest> Probes(IEnumerable<string> principals)
    {
        var body = operation.Body switch
        {
            { MediaType: "application/json" } json => Json(samples.Sample(json.Schema) ?? new JsonObject()),
            { MediaType: "multipart/form-data" } => Multipart("file", "证据.pdf", "application/pdf", Utf8("%PDF-1.4\n%fuzz\n")),
            _ => null,
        };
        var type = operation.Body?.MediaType == "multipart/form-data" ? MultipartType : "application/json";
        return principals.Select(p => new FuzzRequest(operation, "probe", operation.Method, ValidPath, Expect.NoServerError)
        {
            Body = body, ContentType = body is null ? null : type, Principal = p,
        });
    }

    public IReadOnlyList<FuzzRequest> Generate()
    {
        if (!IsAnonymous(operation))
        {
            // The same operation without a usable token: the gateway (or the service) answers 401.
            Add("no-token", ValidPath, Expect.Unauthorized, principal: Principals.Anonymous);
            Add("garbage-token", ValidPath, Expect.Unauthorized, principal: Principals.Garbage);
            Add("forged-token", ValidPath, Expect.Unauthorized, principal: Principals.Forged);
        }
        if (IsDisruptive(operation)) return requests;

        Add("valid-looking", ValidPath);
        PathParameters();
        QueryParameters();
        var body = operation.Body;
        if (body is { MediaType: "application/json" } json) JsonBodies(json.Schema);
        else if (body is { MediaType: "multipart/form-data" }) Files();
        else if (operation.Method is "POST" or "PUT" or "PATCH") RawBodies();
        return requests;
    }

    private void PathParameters()
    {
        foreach (var name in Valid.Keys)
        {
            foreach (var bad in BadPathValues)
            {
                // Traversal and percent sequences go in raw: escaping them again would test nothing.
                var raw = bad.Contains('%');
                Add($"path:{name}={Short(bad)}", Path(new Dictionary<string, string>(Valid) { [name] = raw ? bad : Uri.EscapeDataString(bad) }, escaped: true),
                    bad == "%00" ? Expect.ProtocolRejection : Expect.NoServerError);
            }
        }
    }

    private void QueryParameters()
    {
        var query = operation.Parameters.Where(p => In(p) == "query").ToList();
        foreach (var p in query)
        {
            var name = Name(p);
            foreach (var bad in BadQueryValues)
            {
                Add($"query:{name}={Short(bad)}", $"{ValidPath}?{name}={Uri.EscapeDataString(bad)}");
            }
            Add($"query:{name} repeated", $"{ValidPath}?{name}=1&{name}=2&{name}=abc");
            Add($"query:{name} without value", $"{ValidPath}?{name}");
        }
        Add("query:unknown parameters", $"{ValidPath}?zz_unknown=1&{Uri.EscapeDataString("<x>")}=%00&page=-5");
    }

    private void JsonBodies(JsonElement schema)
    {
        var baseline = samples.Sample(schema) ?? new JsonObject();
        Add("body:valid-looking", ValidPath, body: Json(baseline));
        var properties = operation.Resolve(schema) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("properties", out var ps)
            ? ps.EnumerateObject().ToList() : [];
        var bigArray = true;
        foreach (var property in properties)
        {
            if (baseline is not JsonObject obj) break;
            var missing = (JsonObject)obj.DeepClone();
            missing.Remove(property.Name);
            Add($"body:{property.Name} missing", ValidPath, body: Json(missing));
            foreach (var (mutation, value) in samples.Mutations(property.Value, bigArray))
            {
                if (mutation == "array-10k") bigArray = false;
                var mutated = (JsonObject)obj.DeepClone();
                mutated[property.Name] = value;
                Add($"body:{property.Name} {mutation}", ValidPath, body: Json(mutated));
            }
            // One level down (e.g. a target's attributes, a plan's items): each nested field wrong once.
            var nested = operation.Resolve(property.Value);
            if (SchemaSamples.TypeOf(nested) == "array" && nested.TryGetProperty("items", out var items)) nested = operation.Resolve(items);
            if (SchemaSamples.TypeOf(nested) == "object" && nested.TryGetProperty("properties", out var inner))
            {
                foreach (var field in inner.EnumerateObject())
                {
                    foreach (var (mutation, value) in samples.Mutations(field.Value, withBigArray: false).Where(m => m.Name is "null" or "wrong-type" or "huge" or "invalid-enum" or "enum-as-number" or "negative" or "bad-date"))
                    {
                        var mutated = (JsonObject)obj.DeepClone();
                        var target = mutated[property.Name] is JsonArray { Count: > 0 } array ? array[0] : mutated[property.Name];
                        if (target is not JsonObject inside) continue;
                        inside[field.Name] = value;
                        Add($"body:{property.Name}.{field.Name} {mutation}", ValidPath, body: Json(mutated));
                    }
                }
            }
        }

        var text = baseline.ToJsonString();
        var extra = baseline is JsonObject o ? (JsonObject)o.DeepClone() : [];
        extra["zzUnknown"] = 1;
        extra["$type"] = "System.IO.FileInfo, System.IO.FileSystem";
        extra["__proto__"] = new JsonObject { ["admin"] = true };
        Add("body:extra unknown fields", ValidPath, body: Json(extra));
        Add("body:truncated json", ValidPath, body: Utf8(text[..(text.Length / 2)]), contentType: "application/json");
        Add("body:xml", ValidPath, body: Utf8("<?xml version=\"1.0\"?><request><name>x</name></request>"), contentType: "application/xml");
        Add("body:xml as json", ValidPath, body: Utf8("<request><name>x</name></request>"), contentType: "application/json");
        Add("body:json array", ValidPath, body: Utf8($"[{text}]"), contentType: "application/json");
        Add("body:empty array", ValidPath, body: Utf8("[]"), contentType: "application/json");
        Add("body:wrong content type", ValidPath, body: Utf8(text), contentType: "text/plain");
        Add("body:form instead of json", ValidPath, body: Utf8("name=x&reason=y"), contentType: "application/x-www-form-urlencoded");
        Add("body:empty", ValidPath, body: [], contentType: "application/json");
        Add("body:none", ValidPath);
        Add("body:null", ValidPath, body: Utf8("null"), contentType: "application/json");
        Add("body:empty object", ValidPath, body: Utf8("{}"), contentType: "application/json");
        Add("body:number", ValidPath, body: Utf8("42"), contentType: "application/json");
        Add("body:string", ValidPath, body: Utf8("\"text\""), contentType: "application/json");
        Add("body:invalid utf-8", ValidPath, body: [.. Utf8("{\"name\":\""), 0xff, 0xfe, 0xc3, .. Utf8("\"}")], contentType: "application/json");
        Add("body:comments and trailing comma", ValidPath, body: Utf8("{/* c */ \"a\": 1,}"), contentType: "application/json");
        Add("body:deep nesting", ValidPath, body: Utf8(string.Concat(Enumerable.Repeat("{\"x\":", 5000)) + "1" + new string('}', 5000)), contentType: "application/json");
        Add("body:charset latin1", ValidPath, body: Utf8(text), contentType: "application/json; charset=iso-8859-1");
        Add("body:unknown charset", ValidPath, body: Utf8(text), contentType: "application/json; charset=x-fuzz");
        Oversize(Utf8(text));
    }

    private void Files()
    {
        Add("file:valid-looking pdf", ValidPath, body: Multipart("file", "证据.pdf", "application/pdf", Utf8("%PDF-1.4\n%fuzz\n")), contentType: MultipartType);
        Add("file:no file part", ValidPath, body: MultipartText("note", "no file here"), contentType: MultipartType);
        Add("file:empty file", ValidPath, body: Multipart("file", "empty.pdf", "application/pdf", []), contentType: MultipartType);
        Add("file:traversal name", ValidPath, body: Multipart("file", "../../../etc/passwd", "text/plain", Utf8("root:x:0:0")), contentType: MultipartType);
        Add("file:huge name", ValidPath, body: Multipart("file", new string('n', 5000) + ".pdf", "application/pdf", Utf8("%PDF-1.4")), contentType: MultipartType);
        Add("file:executable", ValidPath, body: Multipart("file", "run.exe", "application/x-msdownload", [0x4d, 0x5a, 0x90, 0x00]), contentType: MultipartType);
        Add("file:lying type", ValidPath, body: Multipart("file", "photo.jpg", "image/jpeg", Utf8("<html><script>alert(1)</script></html>")), contentType: MultipartType);
        Add("file:two files", ValidPath, body: [.. Multipart("file", "a.pdf", "application/pdf", Utf8("%PDF-1.4"), close: false), .. Multipart("file", "b.pdf", "application/pdf", Utf8("%PDF-1.4"), open: false)], contentType: MultipartType);
        Add("file:no boundary", ValidPath, body: Utf8("--x\r\n\r\nabc\r\n--x--"), contentType: "multipart/form-data");
        Add("file:malformed multipart", ValidPath, body: Utf8("this is not multipart at all"), contentType: MultipartType);
        Add("file:unterminated multipart", ValidPath, body: Utf8($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF"), contentType: MultipartType);
        Add("file:json instead", ValidPath, body: Utf8("{\"file\":\"x\"}"), contentType: "application/json");
        Add("file:empty body", ValidPath, body: [], contentType: MultipartType);
        Oversize(Multipart("file", "big.pdf", "application/pdf", new byte[BodyLimit + 1024]), MultipartType);
    }

    /// <summary>Operations that read their body themselves (imports of .xlsx/.csv) or take none.</summary>
    private void RawBodies()
    {
        Add("raw:junk text", ValidPath, body: Utf8("junk,\"unterminated\n\"\"\"\n"), contentType: "text/csv");
        Add("raw:broken xlsx", ValidPath, body: [0x50, 0x4b, 0x03, 0x04, .. Utf8("not really a zip")], contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Add("raw:csv huge field", ValidPath, body: Utf8("code,name\n" + new string('x', 100_000) + ",y\n"), contentType: "text/csv");
        Add("raw:csv only header", ValidPath, body: Utf8("\uFEFF"), contentType: "text/csv");
        Add("raw:json", ValidPath, body: Utf8("{\"a\":1}"), contentType: "application/json");
        Add("raw:multipart junk", ValidPath, body: Multipart("file", "a.xlsx", "application/octet-stream", Utf8("PK garbage")), contentType: MultipartType);
        Add("raw:binary", ValidPath, body: [.. Enumerable.Range(0, 512).Select(_ => (byte)random.Next(256))], contentType: "application/octet-stream");
        Oversize(Utf8("x"), "application/octet-stream");
    }

    /// <summary>A body just over the limit; Content-Length tells, so it is refused before being read.</summary>
    private void Oversize(byte[] prefix, string contentType = "application/json")
    {
        var limit = operation.IsPublic && operation.Api == "fieldwork" ? PublicIntakeBodyLimit : BodyLimit;
        var body = new byte[limit + 1];
        Array.Fill(body, (byte)' ');
        prefix.AsSpan(0, Math.Min(prefix.Length, body.Length)).CopyTo(body);
        requests.Add(new FuzzRequest(operation, "body:over the size limit", operation.Method, ValidPath, Expect.TooLarge)
        {
            Body = body, ContentType = contentType, Slot = slot++, ExpectContinue = true,
        });
    }

    private const string Boundary = "fuzzboundary7MA4YWxkTrZu0gW";
    private const string MultipartType = "multipart/form-data; boundary=" + Boundary;

    private static byte[] Multipart(string field, string fileName, string type, byte[] content, bool open = true, bool close = true) =>
    [
        .. Utf8((open ? "" : "\r\n") + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: {type}\r\n\r\n"),
        .. content,
        .. Utf8(close ? $"\r\n--{Boundary}--\r\n" : ""),
    ];

    private static byte[] MultipartText(string field, string value) =>
        Utf8($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n--{Boundary}--\r\n");

    private void Add(string kind, string path, Expect expect = Expect.NoServerError, byte[]? body = null, string? contentType = null, string? principal = null) =>
        requests.Add(new FuzzRequest(operation, kind, operation.Method, path, expect)
        {
            Body = body, ContentType = body is null ? null : contentType ?? "application/json", Principal = principal, Slot = slot++,
        });

    private static byte[] Json(JsonNode? node) => Utf8(node?.ToJsonString() ?? "null");

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private string Path(IReadOnlyDictionary<string, string> values, bool escaped = false)
    {
        var path = IsOAuth(operation) ? operation.Template : operation.GatewayTemplate;
        foreach (var (name, value) in values) path = path.Replace("{" + name + "}", escaped ? value : Uri.EscapeDataString(value));
        return path;
    }

    private string ValidLooking(JsonElement parameter)
    {
        var schema = parameter.TryGetProperty("schema", out var s) ? operation.Resolve(s) : default;
        return (SchemaSamples.TypeOf(schema), SchemaSamples.FormatOf(schema)) switch
        {
            (_, "uuid") => samples.Guid(),
            ("integer" or "number", _) => "1",
            _ when schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var e) => e[0].ToString(),
            _ => $"fuzz-{random.Next(100000, 999999)}",
        };
    }

    private static string In(JsonElement p) => p.GetProperty("in").GetString()!;

    private static string Name(JsonElement p) => p.GetProperty("name").GetString()!;

    private static string Short(string value) => value.Length > 24 ? $"{value[..8]}…({value.Length} chars)" : value;
}
