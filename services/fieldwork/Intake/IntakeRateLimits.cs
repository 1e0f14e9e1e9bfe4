using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Xuncha.Fieldwork.Intake;

/// <summary>
/// Per-address limits on the anonymous routes (the address is the client's, from the gateway's X-Forwarded-For):
/// a flooding address gets 429 ProblemDetails while everyone else is served. Each replica counts its own share;
/// the gateway's public limit caps the sum.
/// </summary>
internal static class IntakeRateLimits
{
    public const string Submit = "intake-submit";
    public const string Read = "intake-read";

    public static IServiceCollection AddIntakeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var window = TimeSpan.FromSeconds(configuration.GetValue("Fieldwork:Intake:WindowSeconds", 60));
        var submits = configuration.GetValue("Fieldwork:Intake:SubmissionsPerWindow", 10);
        var reads = configuration.GetValue("Fieldwork:Intake:ReadsPerWindow", 60);
        return services.AddRateLimiter(o =>
        {
            o.AddPolicy(Submit, context => PerAddress(context, submits, window));
            o.AddPolicy(Read, context => PerAddress(context, reads, window));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
                }
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await Results.Problem(statusCode: 429, title: "提交过于频繁 Too many requests",
                    detail: "Too many requests from this address; try again later.").ExecuteAsync(http);
            };
        });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}
