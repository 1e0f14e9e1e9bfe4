using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Xuncha.Gateway.Edge;

/// <summary>
/// Fixed-window limits from <c>Gateway:RateLimits:&lt;Policy&gt;</c> (PermitLimit, WindowSeconds). API routes count per
/// client (client_id, else sub); anonymous routes count per remote address. A rejection is a 429 ProblemDetails with Retry-After.
/// </summary>
public static class EdgeRateLimits
{
    public const string PerClient = "per-client";
    public const string Public = "public";
    public const string PerAddress = "per-address";

    private sealed record Limit(int PermitLimit, int WindowSeconds);

    public static IHostApplicationBuilder AddEdgeRateLimits(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Gateway:RateLimits");
        var perClient = Read(section, "PerClient", new Limit(1200, 60));
        var publicIntake = Read(section, "Public", new Limit(30, 60));
        var perAddress = Read(section, "PerAddress", new Limit(300, 60));

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PerClient, http => Window(perClient, "client:" + (http.User.FindFirst("client_id")?.Value ?? http.User.FindFirst("sub")?.Value ?? Address(http))));
            o.AddPolicy(Public, http => Window(publicIntake, Address(http)));
            o.AddPolicy(PerAddress, http => Window(perAddress, Address(http)));
            o.OnRejected = async (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await GatewayProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    "请求过于频繁 Too many requests", "The rate limit for this client was reached; retry after the time given in Retry-After.");
            };
        });
        return builder;
    }

    private static Limit Read(IConfiguration section, string name, Limit fallback) => new(
        section.GetValue($"{name}:PermitLimit", fallback.PermitLimit),
        section.GetValue($"{name}:WindowSeconds", fallback.WindowSeconds));

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Window(Limit limit, string key) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            QueueLimit = 0,
        });
}
