using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Http = Xuncha.ServiceDefaults.Http.RateLimits;

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
                Http.SetRetryAfter(context, TimeSpan.FromSeconds(60));
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new { error = "slow_down", error_description = "Too many requests from this address; retry later." }, ct);
            };
        });

    private static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        Http.FixedWindow(new(perMinute, 60), Http.Address(http));
}
