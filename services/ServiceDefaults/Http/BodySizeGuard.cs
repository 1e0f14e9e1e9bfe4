using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Configuration;

namespace Xuncha.ServiceDefaults.Http;

/// <summary>
/// Applies the body limit whatever the server (Kestrel enforces its own, the in-process test server does not),
/// honouring an endpoint's own [RequestSizeLimit]/WithRequestSizeLimit where it sets one.
/// </summary>
internal sealed class BodySizeGuard(RequestDelegate next, IConfiguration configuration)
{
    private readonly long defaultMax = configuration.GetValue<long?>("Limits:MaxRequestBodyBytes") ?? RequestLimits.DefaultMaxBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var max = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? defaultMax;
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = max;
        }
        if (context.Request.ContentLength > max)
        {
            throw new BadHttpRequestException($"Request body of {context.Request.ContentLength} bytes exceeds the limit of {max} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        return next(context);
    }
}
