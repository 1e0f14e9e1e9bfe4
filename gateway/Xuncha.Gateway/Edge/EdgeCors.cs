namespace Xuncha.Gateway.Edge;

public static class EdgeCors
{
    /// <summary>Browsers on the origins in <c>Gateway:Cors:Origins</c> may call the APIs with a bearer token (no cookies).</summary>
    public static IHostApplicationBuilder AddEdgeCors(this IHostApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection("Gateway:Cors:Origins").Get<string[]>() ?? [];
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(origins)
            .AllowAnyMethod()
            .AllowAnyHeader()
            .WithExposedHeaders("Location", "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }
}
