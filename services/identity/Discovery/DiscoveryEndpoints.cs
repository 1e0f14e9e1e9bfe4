using Microsoft.Extensions.Options;
using Xuncha.Identity.Keys;
using Xuncha.Identity.Tokens;

namespace Xuncha.Identity.Discovery;

/// <summary>OpenID Connect discovery and the JWKS: every URL is built from the configured public issuer (the gateway).</summary>
public static class DiscoveryEndpoints
{
    public const string JwksPath = "/.well-known/jwks.json";

    public static void MapDiscovery(this WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", (IOptions<TokenServiceOptions> options, HttpContext http) =>
        {
            // The issuer exactly as tokens carry it (a trailing slash included); endpoint URLs are built on it without one.
            var issuer = options.Value.Issuer.TrimEnd('/');
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Json(new Dictionary<string, object>
            {
                ["issuer"] = options.Value.Issuer,
                ["jwks_uri"] = issuer + JwksPath,
                ["authorization_endpoint"] = issuer + "/connect/authorize",
                ["token_endpoint"] = issuer + "/connect/token",
                ["userinfo_endpoint"] = issuer + "/connect/userinfo",
                ["revocation_endpoint"] = issuer + "/connect/revocation",
                ["end_session_endpoint"] = issuer + "/connect/logout",
                ["response_types_supported"] = new[] { "code" },
                ["response_modes_supported"] = new[] { "query" },
                ["grant_types_supported"] = new[] { "authorization_code", "client_credentials", "refresh_token" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
                ["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["scopes_supported"] = ApiScopes.All,
                ["claims_supported"] = new[] { "sub", "name", "jurisdiction", "agency", "roles", "scope", "client_id" },
                ["authorization_response_iss_parameter_supported"] = true,
            });
        }).AllowAnonymous();

        app.MapGet(JwksPath, async (SigningKeyStore keys, HttpContext http, CancellationToken ct) =>
        {
            // Short caching: a pre-published key must reach clients well within the propagation delay.
            http.Response.Headers.CacheControl = "public, max-age=60";
            var published = await keys.PublishedAsync(ct);
            return TypedResults.Json(new
            {
                keys = published.Select(k => new { kty = "RSA", use = "sig", alg = "RS256", kid = k.KeyId, n = k.Modulus, e = k.Exponent }),
            });
        }).AllowAnonymous();
    }
}
