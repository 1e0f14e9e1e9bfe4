using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Xuncha.ServiceDefaults.Telemetry;

/// <summary>
/// .NET 10's server span carries no route or status: set them so traces are readable, and stop
/// health probes from producing a root trace every few seconds.
/// </summary>
public sealed class ServerSpanEnrichment(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity ?? Activity.Current;
        var path = context.Request.Path;
        if (activity is not null && (path.StartsWithSegments("/health") || path.StartsWithSegments("/alive")))
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (activity is { IsAllDataRequested: true })
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                activity.SetTag("http.request.method", context.Request.Method);
                activity.SetTag("url.path", path.Value);
                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (route is not null)
                {
                    activity.SetTag("http.route", route);
                    activity.DisplayName = $"{context.Request.Method} {route}";
                }
                if (context.Response.StatusCode >= 500)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }
}
