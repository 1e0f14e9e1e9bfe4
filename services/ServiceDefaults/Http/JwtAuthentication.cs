using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Xuncha.ServiceDefaults.Http;

public static class JwtAuthentication
{
    /// <summary>Audience a service's tokens must carry: "xuncha.&lt;service&gt;" unless configured.</summary>
    public static string AudienceFor(string serviceName) => "xuncha." + serviceName;

    /// <summary>
    /// Bearer tokens from the identity service (Identity__Url). The issuer is the public gateway URL, which is
    /// what discovery reports; metadata is fetched from the internal identity address.
    /// </summary>
    public static IHostApplicationBuilder AddJwtAuthentication(this IHostApplicationBuilder builder, string serviceName)
    {
        var identityUrl = builder.Configuration["Identity:Url"];
        var audience = builder.Configuration["Identity:Audience"] ?? AudienceFor(serviceName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new ValidatedTokenCache { MapInboundClaims = false });
                // Identity pre-publishes a new signing key 10 minutes before it signs; re-read the key set well within that.
                o.AutomaticRefreshInterval = TimeSpan.FromMinutes(5);
                o.RefreshInterval = TimeSpan.FromSeconds(30);
                o.RequireHttpsMetadata = builder.Configuration.GetValue("Identity:RequireHttpsMetadata", false);
                if (!string.IsNullOrWhiteSpace(identityUrl))
                {
                    o.MetadataAddress = identityUrl.TrimEnd('/') + "/.well-known/openid-configuration";
                }
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = audience,
                    ValidIssuer = builder.Configuration["Identity:Issuer"],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                    RoleClaimType = "roles",
                };
            });
        builder.Services.AddAuthorization(o =>
        {
            // Secure by default: an endpoint that forgets to declare its policy still needs a valid token.
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        return builder;
    }
}
