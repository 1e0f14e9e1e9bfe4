using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Xuncha.ServiceDefaults.Http;

public static class RequestLimits
{
    /// <summary>Default cap on a request body; endpoints that take uploads raise it for themselves.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddRequestLimits(this IHostApplicationBuilder builder)
    {
        var max = builder.Configuration.GetValue<long?>("Limits:MaxRequestBodyBytes") ?? DefaultMaxBodyBytes;
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = max;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            o.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        return builder;
    }
}
