using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Xuncha.Identity;

/// <summary>Per-address limits on the token endpoint and on login: 429 with Retry-After.</summary>
public static class RateLimits
{
    public const string Token = "token";
    public const string Login = "login";

    public static IServiceCollection AddIdentityRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Token, http => PerAddress(http, http.RequestServices.GetRequiredService<IOptions<TokenServiceOptions>>().Value.TokenRequestsPerMinute));
            o.AddPolicy(Login, http => PerAddress(http, http.RequestServices.GetRequiredService<IOptions<TokenServiceOptions>>().Value.LoginAttemptsPerMinute));
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new { error = "slow_down", error_description = "Too many requests from this address; retry later." }, ct);
            };
        });

    private static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(perMinute, 1), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
