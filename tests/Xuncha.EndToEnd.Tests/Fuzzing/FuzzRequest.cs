using System.Net.Http.Headers;
using System.Text;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>What a fuzzed request must get back, beyond "never a 5xx".</summary>
public enum Expect
{
    /// <summary>Any status below 500; an error must be in the endpoint's error format.</summary>
    NoServerError,
    /// <summary>No token, a garbage token or a forged one: exactly 401.</summary>
    Unauthorized,
    /// <summary>A body over the size limit: exactly 413.</summary>
    TooLarge,
    /// <summary>
    /// A NUL byte (%00) in the path: Kestrel refuses the request line itself (400, empty body, connection closed) before
    /// any application code, at the gateway as in a service, so no ProblemDetails can be written. Exactly 400 then.
    /// </summary>
    ProtocolRejection,
}

/// <summary>Who sends a request: a seeded user or agency client, nobody, or someone with a bad token.</summary>
public static class Principals
{
    public const string Anonymous = "anonymous";
    public const string Garbage = "garbage-token";
    public const string Forged = "forged-token";

    /// <summary>An unsigned JWT (alg none) claiming every role: must be refused like no token at all.</summary>
    public static readonly string ForgedToken =
        Base64Url("""{"alg":"none","typ":"at+jwt"}""") + "." +
        Base64Url("""{"iss":"http://127.0.0.1","sub":"fuzz","aud":["xuncha.planning","xuncha.staffing","xuncha.fieldwork","xuncha.clues","xuncha.audit","xuncha.rectification","xuncha.identity"],"roles":["platform-admin","office-coordinator"],"jurisdiction":"demo-city","exp":4102444800}""") + ".";

    /// <summary>Agency clients first (no sign-in), then one user of each role the operations are gated on.</summary>
    public static readonly string[] Candidates =
    [
        "client:county-office-system", "client:commission-system", "client:audit-bureau-system", "client:organisation-dept-system",
        "demo.office-coordinator", "demo.platform-admin", "demo.group-leader", "demo.clue-officer", "demo.audit-officer",
        "demo.rectification-supervisor", "demo.unit-liaison", "demo.leading-group",
    ];

    private static string Base64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// One generated request. Built from the seed alone (no I/O), so the same seed sends the same requests; the principal
/// is chosen after the probe by <see cref="Slot"/> among those the operation's role gate lets through.
/// </summary>
public sealed record FuzzRequest(ApiOperation Operation, string Kind, string Method, string Path, Expect Expect)
{
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }

    /// <summary>A fixed principal (anonymous, garbage token, …); otherwise rotated among the operation's passers.</summary>
    public string? Principal { get; init; }
    public int Slot { get; init; }

    /// <summary>For bodies over the limit: wait for 100-continue so the server can refuse without reading a megabyte.</summary>
    public bool ExpectContinue { get; init; }

    public HttpRequestMessage ToMessage(string? token)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (token is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ExpectContinue) message.Headers.ExpectContinue = true;
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    /// <summary>The request as a failure message shows it: enough to replay it with curl.</summary>
    public string Describe(string principal)
    {
        var body = Body is null ? "" : Body.Length > 200
            ? $" body[{Body.Length} bytes, {ContentType}]: {Preview(Body, 160)}…"
            : $" body[{ContentType}]: {Preview(Body, 200)}";
        var path = Path.Length > 240 ? Path[..240] + $"…({Path.Length} chars)" : Path;
        return $"[{Kind}] {Method} {path} as {principal}{body}";
    }

    private static string Preview(byte[] bytes, int chars)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, chars * 4));
        return text.Length > chars ? text[..chars] : text;
    }
}
