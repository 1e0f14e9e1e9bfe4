using Microsoft.AspNetCore.Authentication.JwtBearer;
using Xuncha.Gateway.Routing;

namespace Xuncha.Gateway.Edge;

public static class EdgeAuthorization
{
    /// <summary>
    /// Tokens are validated as the services validate them (ServiceDefaults' JWT bearer against Identity:Url), except that
    /// any platform API audience is accepted; each API route then demands its own audience, so a token for another API
    /// is a 403, not a 401.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeAuthorization(this IHostApplicationBuilder builder)
    {
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.TokenValidationParameters.ValidAudience = null;
            o.TokenValidationParameters.ValidAudiences = PlatformApi.All.Select(a => a.Audience).ToArray();
        });
        builder.Services.AddAuthorization(o =>
        {
            foreach (var api in PlatformApi.All)
            {
                o.AddPolicy(api.Policy, p => p.RequireAuthenticatedUser().RequireClaim("aud", api.Audience));
            }
        });
        return builder;
    }
}
