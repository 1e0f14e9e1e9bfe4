using Xuncha.ServiceDefaults.Http;
using Window = Xuncha.ServiceDefaults.Http.RateLimits.Window;

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

    public static IHostApplicationBuilder AddEdgeRateLimits(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Gateway:RateLimits");
        var perClient = Window.Read(section, "PerClient", new(1200, 60));
        var publicIntake = Window.Read(section, "Public", new(30, 60));
        var perAddress = Window.Read(section, "PerAddress", new(300, 60));

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PerClient, http => RateLimits.FixedWindow(perClient, "client:" + (http.User.FindFirst("client_id")?.Value ?? http.User.FindFirst("sub")?.Value ?? RateLimits.Address(http))));
            o.AddPolicy(Public, http => RateLimits.FixedWindow(publicIntake, RateLimits.Address(http)));
            o.AddPolicy(PerAddress, http => RateLimits.FixedWindow(perAddress, RateLimits.Address(http)));
            o.OnRejected = async (context, _) =>
            {
                RateLimits.SetRetryAfter(context, TimeSpan.FromSeconds(1));
                await GatewayProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    "请求过于频繁 Too many requests", "The rate limit for this client was reached; retry after the time given in Retry-After.");
            };
        });
        return builder;
    }
}
