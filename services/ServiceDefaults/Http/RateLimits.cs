using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Xuncha.ServiceDefaults.Http;

/// <summary>Fixed-window limits, partitioned by caller, rejected with 429 and Retry-After: the one shape every limit has.</summary>
public static class RateLimits
{
    public sealed record Window(int PermitLimit, int WindowSeconds)
    {
        /// <summary>Reads <c>&lt;name&gt;:PermitLimit</c> and <c>&lt;name&gt;:WindowSeconds</c>, falling back per value.</summary>
        public static Window Read(IConfiguration section, string name, Window fallback) => new(
            section.GetValue($"{name}:PermitLimit", fallback.PermitLimit),
            section.GetValue($"{name}:WindowSeconds", fallback.WindowSeconds));
    }

    /// <summary>The client's address as the forwarded-headers middleware resolved it (the gateway's client, not the gateway).</summary>
    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static RateLimitPartition<string> FixedWindow(Window limit, string key) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(limit.PermitLimit, 1),
            Window = TimeSpan.FromSeconds(Math.Max(limit.WindowSeconds, 1)),
            QueueLimit = 0,
        });

    /// <summary>Sets Retry-After (whole seconds, at least 1) from the lease, or the fallback when the limiter gives none.</summary>
    public static void SetRetryAfter(OnRejectedContext context, TimeSpan fallback)
    {
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : fallback;
        context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A per-address policy for anonymous endpoints (public intake, surveys), rejected with a 429 ProblemDetails.
    /// Limits come from <c>RateLimits:&lt;policy&gt;</c> with the fallback given.
    /// </summary>
    public static IServiceCollection AddPerAddressRateLimit(this IServiceCollection services, IConfiguration configuration, string policy, Window fallback)
    {
        var window = Window.Read(configuration.GetSection("RateLimits"), policy, fallback);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(policy, http => FixedWindow(window, Address(http)));
            o.OnRejected = async (context, ct) =>
            {
                SetRetryAfter(context, TimeSpan.FromSeconds(window.WindowSeconds));
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "请求过于频繁 Too many requests",
                    detail: "Too many requests from this address; retry after the time given in Retry-After.").ExecuteAsync(context.HttpContext);
            };
        });
    }
}
