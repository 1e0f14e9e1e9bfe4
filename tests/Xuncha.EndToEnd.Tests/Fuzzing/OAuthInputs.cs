using System.Text;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>
/// Malformed requests to identity's sign-in endpoints, which take forms and queries the OpenAPI document does not
/// describe. Kept few: identity limits /connect/login (20 a minute) and /connect/token per address, and every test on
/// the shared platform signs in from the same address, so these go first and the rest of the run lets the window pass.
/// Never a real username: failed logins count towards a lockout.
/// </summary>
public static class OAuthInputs
{
    private const string Form = "application/x-www-form-urlencoded";

    public static IEnumerable<FuzzRequest> For(ApiOperation op)
    {
        var path = op.Template;
        FuzzRequest R(string kind, string? body = null, string? contentType = Form, string query = "", string? principal = Principals.Anonymous) =>
            new(op, kind, op.Method, path + query, Expect.NoServerError)
            {
                Body = body is null ? null : Encoding.UTF8.GetBytes(body), ContentType = body is null ? null : contentType, Principal = principal,
            };

        switch (op.Method + " " + path)
        {
            case "POST /connect/token":
                yield return R("token:no body", contentType: null);
                yield return R("token:empty form", "");
                yield return R("token:json instead of form", "{\"grant_type\":\"client_credentials\"}", "application/json");
                yield return R("token:unknown grant", "grant_type=password&username=x&password=y");
                yield return R("token:grant repeated", "grant_type=client_credentials&grant_type=client_credentials");
                yield return R("token:huge grant", "grant_type=" + new string('g', 5000));
                yield return R("token:unknown client", "grant_type=client_credentials&client_id=fuzz-nobody&client_secret=x");
                yield return R("token:client without secret", "grant_type=client_credentials&client_id=county-office-system");
                yield return R("token:bad basic header", "grant_type=client_credentials", principal: "basic:%%%not-base64");
                yield return R("token:bad code", "grant_type=authorization_code&code=fuzz&redirect_uri=http://x&client_id=xuncha-web&code_verifier=" + new string('v', 43));
                yield return R("token:short verifier", "grant_type=authorization_code&code=fuzz&redirect_uri=http://x&client_id=xuncha-web&code_verifier=x");
                yield return R("token:bad refresh", "grant_type=refresh_token&refresh_token=fuzz&client_id=xuncha-web");
                yield return R("token:sql in scope", "grant_type=client_credentials&client_id=fuzz&client_secret=x&scope=' OR 1=1 --");
                yield return R("token:invalid utf-8", "grant_type=%ff%fe&client_id=%c3");
                yield return R("token:multipart", "--b\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--b--\r\n", "multipart/form-data; boundary=b");
                break;
            case "POST /connect/revocation":
                yield return R("revocation:no body", contentType: null);
                yield return R("revocation:json", "{\"token\":\"x\"}", "application/json");
                yield return R("revocation:no token", "client_id=xuncha-web");
                yield return R("revocation:garbage token", "token=" + new string('t', 5000) + "&client_id=xuncha-web");
                yield return R("revocation:unknown client", "token=abc&client_id=fuzz-nobody");
                break;
            case "GET /connect/userinfo" or "POST /connect/userinfo":
                yield return R("userinfo:no token", contentType: null, principal: Principals.Anonymous);
                yield return R("userinfo:garbage token", contentType: null, principal: Principals.Garbage);
                yield return R("userinfo:forged token", contentType: null, principal: Principals.Forged);
                yield return R("userinfo:client token (no openid)", contentType: null, principal: "client:county-office-system");
                break;
            case "GET /connect/authorize":
                yield return R("authorize:no parameters");
                yield return R("authorize:unknown client", query: "?client_id=fuzz-nobody&redirect_uri=http://evil.invalid/&response_type=code");
                yield return R("authorize:unregistered redirect", query: "?client_id=xuncha-web&redirect_uri=http://evil.invalid/&response_type=code");
                yield return R("authorize:huge client id", query: "?client_id=" + new string('c', 5000));
                yield return R("authorize:repeated client id", query: "?client_id=xuncha-web&client_id=other&redirect_uri=x");
                yield return R("authorize:hostile values", query: "?client_id=%3Cscript%3E&redirect_uri=javascript:alert(1)&state=%00");
                break;
            case "POST /connect/login":
                yield return R("login:no body", contentType: null);
                yield return R("login:json", "{\"username\":\"fuzz\"}", "application/json");
                yield return R("login:open redirect", "returnUrl=https://evil.invalid/&username=fuzz-nobody&password=x");
                yield return R("login:no antiforgery", "returnUrl=/connect/authorize?client_id=xuncha-web&username=fuzz-nobody&password=x");
                break;
            default:
                // Discovery, keys and logout take nothing: a plain request and one with junk.
                yield return R("plain", contentType: null);
                yield return R("junk query", query: "?x=%00&" + new string('q', 1000) + "=1");
                break;
        }
    }
}
