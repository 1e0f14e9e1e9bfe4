using Xuncha.Gateway.Edge;
using Yarp.ReverseProxy.Forwarder;

namespace Xuncha.Gateway.Routing;

/// <summary>YARP reports its own failures as a bare status code; clients get an RFC 9457 ProblemDetails instead.</summary>
internal static class ProxyErrors
{
    public static async Task AsProblemDetails(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        var service = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
        var (status, title, detail) = error.Error switch
        {
            ForwarderError.NoAvailableDestinations =>
                (503, "服务暂不可用 Service unavailable", $"No healthy instance of the {service} service is available."),
            ForwarderError.RequestTimedOut =>
                (504, "上游服务超时 Gateway timeout", $"The {service} service did not answer in time."),
            ForwarderError.RequestBodyClient when TooLarge(error.Exception) is { } tooLarge =>
                (413, "请求体过大 Request body too large", tooLarge.Message),
            ForwarderError.RequestBodyClient =>
                (400, "请求格式错误 Malformed request", "The request body could not be read."),
            _ => (502, "上游服务错误 Bad gateway", $"The {service} service could not be reached or gave no valid answer."),
        };
        await GatewayProblems.WriteAsync(context, status, title, detail);
    }

    // A chunked body only turns out too large while YARP streams it; Kestrel's refusal arrives wrapped.
    private static BadHttpRequestException? TooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } bad) return bad;
        }
        return null;
    }
}
