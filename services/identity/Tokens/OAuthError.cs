namespace Xuncha.Identity.Tokens;

/// <summary>Error responses exactly as RFC 6749 §5.2 shapes them (not ProblemDetails: OAuth clients parse these fields).</summary>
public static class OAuthError
{
    public static IResult Result(string error, string description, int status = StatusCodes.Status400BadRequest, bool basicChallenge = false) =>
        new OAuthErrorResult(error, description, status, basicChallenge);

    public static IResult InvalidClient(bool basic) => Result("invalid_client", "Client authentication failed.", StatusCodes.Status401Unauthorized, basic);

    private sealed class OAuthErrorResult(string error, string description, int status, bool basicChallenge) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            if (basicChallenge)
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"xuncha\"";
            }
            return http.Response.WriteAsJsonAsync(new { error, error_description = description });
        }
    }
}

/// <summary>A successful token response (RFC 6749 §5.1), never cached.</summary>
public sealed record TokenResponse(string AccessToken, int ExpiresIn, string Scope, string? RefreshToken, string? IdToken) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        var body = new Dictionary<string, object>
        {
            ["access_token"] = AccessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresIn,
            ["scope"] = Scope,
        };
        if (RefreshToken is not null) body["refresh_token"] = RefreshToken;
        if (IdToken is not null) body["id_token"] = IdToken;
        return http.Response.WriteAsJsonAsync(body);
    }
}
