using Microsoft.AspNetCore.HttpOverrides;

namespace Xuncha.Gateway.Edge;

/// <summary>
/// What a client says about itself in headers never reaches a service. X-Forwarded-* is believed only from proxies
/// in <c>ForwardedHeaders:KnownNetworks</c> (the ingress); after that step, identity-looking headers and any
/// X-Forwarded-* / Forwarded are dropped (YARP then sets X-Forwarded-* from what the gateway saw), as are the hop-by-hop
/// headers a client names in Connection (YARP drops the standard hop-by-hop set itself).
/// </summary>
public static class EdgeHeaders
{
    private static readonly string[] SpoofablePrefixes =
        ["X-User", "X-Client", "X-Role", "X-Jurisdiction", "X-Agency", "X-Auth", "X-Remote-User", "X-Forwarded-", "X-Original-", "X-Real-IP"];

    public static IHostApplicationBuilder AddEdgeHeaders(this IHostApplicationBuilder builder)
    {
        // Same key as the services (ForwardedHeaders:KnownNetworks), but the edge does not trust loopback by default:
        // that would let any local client pick its own address.
        var trusted = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            if (trusted.Length == 0)
            {
                // Empty proxy lists would mean "trust every sender", so read no forwarded header at all.
                o.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in trusted) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return builder;
    }

    public static IApplicationBuilder UseEdgeHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Request.Headers;
        List<string>? drop = null;
        foreach (var value in headers.Connection)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // "Upgrade" names the protocol switch YARP itself handles.
                if (!name.Equals("upgrade", StringComparison.OrdinalIgnoreCase)) (drop ??= []).Add(name);
            }
        }
        foreach (var name in headers.Keys)
        {
            if (name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase) || SpoofablePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                (drop ??= []).Add(name);
            }
        }
        drop?.ForEach(name => headers.Remove(name));
        return next(context);
    });
}
