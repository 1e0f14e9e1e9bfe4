using Microsoft.AspNetCore.Http.Metadata;
using Xuncha.Gateway.Edge;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace Xuncha.Gateway.Routing;

/// <summary>The gateway's routes and clusters, built in code from <see cref="Upstreams"/> and the Gateway settings.</summary>
public static class ProxyRoutes
{
    public static IHostApplicationBuilder AddGatewayProxy(this IHostApplicationBuilder builder)
    {
        var upstreams = Upstreams.From(builder.Configuration);
        var (routes, clusters) = Build(upstreams, builder.Configuration);
        builder.Services.AddSingleton(upstreams);
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        return builder;
    }

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(Upstreams upstreams, IConfiguration configuration)
    {
        var health = new HealthCheckConfig
        {
            // With every instance failing its check, answer 503 at once rather than YARP's default "panic" of trying them anyway.
            AvailableDestinationsPolicy = "HealthyAndUnknown",
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Path = "/health",
                Interval = configuration.GetValue("Gateway:HealthChecks:Interval", TimeSpan.FromSeconds(10)),
                Timeout = configuration.GetValue("Gateway:HealthChecks:Timeout", TimeSpan.FromSeconds(5)),
            },
        };
        var routes = new List<RouteConfig>();
        var clusters = upstreams.Addresses.Select(u => new ClusterConfig
        {
            ClusterId = u.Key,
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            HealthCheck = health,
            Destinations = u.Value.Select((address, i) => KeyValuePair.Create($"{u.Key}-{i}", new DestinationConfig { Address = address }))
                .ToDictionary(),
        }).ToList();

        foreach (var api in PlatformApi.All.Where(a => upstreams.IsDeployed(a.Name)))
        {
            routes.Add(ApiRoute(api, api.Name, api.Prefix + "/{**rest}", api.Policy, EdgeRateLimits.PerClient));
            routes.Add(ApiRoute(api, api.Name + "-openapi", api.OpenApiPath, "anonymous", EdgeRateLimits.PerAddress));
            if (api.HasPublicRoutes)
            {
                routes.Add(ApiRoute(api, api.Name + "-public", api.Prefix + "/public/{**rest}", "anonymous", EdgeRateLimits.Public));
            }
        }
        if (upstreams.IsDeployed(Upstreams.Identity))
        {
            // Sign-in, token and discovery keep their paths: the issuer and its endpoint URLs are the gateway's.
            routes.Add(Route("identity-connect", Upstreams.Identity, "/connect/{**rest}", "anonymous", EdgeRateLimits.PerAddress));
            routes.Add(Route("identity-discovery", Upstreams.Identity, "/.well-known/{**rest}", "anonymous", EdgeRateLimits.PerAddress));
        }
        return (routes, clusters);
    }

    /// <summary>
    /// Proxied endpoints (per-route body limits from <c>Gateway:Routes:&lt;routeId&gt;:MaxRequestBodyBytes</c>). A service
    /// that is not deployed answers 503 ProblemDetails on its whole prefix; any other unknown path is a 404 ProblemDetails.
    /// </summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        var upstreams = app.Services.GetRequiredService<Upstreams>();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ProxyErrors.AsProblemDetails);
            proxy.UseLoadBalancing();
        }).ConfigureEndpoints((endpoint, route) =>
        {
            if (app.Configuration.GetValue<long?>($"Gateway:Routes:{route.RouteId}:MaxRequestBodyBytes") is { } max)
            {
                endpoint.WithMetadata(new BodyLimit(max));
            }
        });

        foreach (var api in PlatformApi.All.Where(a => !upstreams.IsDeployed(a.Name)))
        {
            app.Map(api.Prefix + "/{**rest}", () => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "服务未部署 Service not deployed", detail: $"The {api.Name} service is not deployed behind this gateway."))
                .AllowAnonymous();
        }
        app.MapFallback("{**path}", () => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "未找到 Not found", detail: "Nothing is served at this path; see /api for the platform's APIs."))
            .AllowAnonymous();
        return app;
    }

    private static RouteConfig ApiRoute(PlatformApi api, string id, string path, string authorization, string rateLimit) =>
        Route(id, api.Name, path, authorization, rateLimit)
            .WithTransformPathRemovePrefix(api.Prefix)
            // Services learn where the gateway mounted them (for links they return); the rest of X-Forwarded-* as usual.
            .WithTransformXForwarded(xPrefix: ForwardedTransformActions.Off)
            .WithTransformRequestHeader("X-Forwarded-Prefix", api.Prefix, append: false);

    private static RouteConfig Route(string id, string cluster, string path, string authorization, string rateLimit) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        AuthorizationPolicy = authorization,
        RateLimiterPolicy = rateLimit,
    };

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
