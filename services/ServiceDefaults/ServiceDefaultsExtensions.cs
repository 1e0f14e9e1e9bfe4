using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.ServiceDefaults.Http;
using Xuncha.ServiceDefaults.Telemetry;

namespace Xuncha.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Everything a service gets for free: telemetry, health, ProblemDetails, OpenAPI, JWT, limits.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.AddTelemetry(serviceName);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.AddProblemResponses();
        builder.Services.AddOpenApi();
        builder.AddJwtAuthentication(serviceName);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditTrail>();
        // One clock and one working-day rule for every deadline; tests replace the clock.
        builder.Services.TryAddSingleton(TimeProvider.System);
        Calendar.WorkingCalendar.Register(builder);
        var proxyNetworks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the gateway's forwarded headers are believed: loopback by default, the cluster network when configured
            // (ForwardedHeaders__KnownNetworks__0=10.0.0.0/8), so per-address limits see the client, not the gateway.
            o.ForwardLimit = 2;
            foreach (var network in proxyNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.AddRequestLimits();
        return builder;
    }

    /// <summary>
    /// Middleware and endpoints every service shares; call before mapping features. <paramref name="healthWriter"/>
    /// replaces the bare status word of /health for a process whose readiness has more to say (the gateway's clusters).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, Func<HttpContext, HealthReport, Task>? healthWriter = null)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ServerSpanEnrichment>();
        app.UseMiddleware<BodySizeGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpointGates();

        // Readiness: database + broker. Output is the bare status word: no internals leak.
        var ready = new HealthCheckOptions { Predicate = c => !c.Tags.Contains("live") || c.Name == "self" };
        if (healthWriter is not null) ready.ResponseWriter = healthWriter;
        app.MapHealthChecks("/health", ready).AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (app.Services.GetService<ErrorQueues>() is not null)
        {
            app.MapGet("/ops/error-queues", async (ErrorQueues queues, CancellationToken ct) => TypedResults.Ok(await queues.CountAsync(ct)))
                .RequireAuthorization(p => p.RequireRole(PlatformRoles.PlatformAdmin))
                .ExcludeFromDescription();
        }
        return app;
    }
}

/// <summary>The name this process runs as (used for queues, telemetry and audience).</summary>
public sealed record ServiceIdentity(string Name);
