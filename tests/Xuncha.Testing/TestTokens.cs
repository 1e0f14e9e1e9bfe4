using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Xuncha.Testing;

/// <summary>Mints RS256 tokens shaped like the identity service's, signed by a key the services under test are told to trust.</summary>
public static class TestTokens
{
    public const string Issuer = "http://127.0.0.1:8080";
    // One key per process, or a shared one from a PEM file when separate processes must trust each other (benchmarks).
    private static readonly RsaSecurityKey Key = new(LoadOrCreate(Environment.GetEnvironmentVariable("XUNCHA_TEST_TOKEN_KEY"))) { KeyId = "test-key" };

    private static RSA LoadOrCreate(string? pemFile)
    {
        var rsa = RSA.Create(2048);
        if (!string.IsNullOrEmpty(pemFile))
        {
            rsa.ImportFromPem(File.ReadAllText(pemFile));
        }
        return rsa;
    }
    private static readonly JsonWebTokenHandler Handler = new();

    public static string Mint(
        string audience,
        string subject = "user-1",
        IEnumerable<string>? roles = null,
        string jurisdiction = "city-demo",
        string agency = "inspection-office",
        IEnumerable<string>? scopes = null,
        TimeSpan? lifetime = null,
        SecurityKey? signingKey = null,
        string issuer = Issuer)
    {
        var claims = new List<Claim>
        {
            new("sub", subject),
            new("jurisdiction", jurisdiction),
            new("agency", agency),
        };
        claims.AddRange((roles ?? []).Select(r => new Claim("roles", r)));
        if (scopes is not null) claims.Add(new Claim("scope", string.Join(' ', scopes)));
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.AddSeconds(-5),
            NotBefore = now.AddSeconds(-5),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(15)),
            SigningCredentials = new SigningCredentials(signingKey ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The public half of the test key as a JWKS document (for a discovery stub that real processes can use).</summary>
    public static object JsonWebKeySet()
    {
        var p = Key.Rsa.ExportParameters(false);
        return new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = Key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } };
    }

    /// <summary>Makes the service under test trust <see cref="Key"/> for <see cref="Issuer"/> instead of fetching discovery.</summary>
    public static IServiceCollection TrustTestTokens(this IServiceCollection services) =>
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.MetadataAddress = null!;
            o.Authority = null;
            o.TokenValidationParameters.ValidIssuer = Issuer;
            o.TokenValidationParameters.IssuerSigningKey = Key;
        });
}
