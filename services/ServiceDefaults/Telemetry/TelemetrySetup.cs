using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Xuncha.ServiceDefaults.Telemetry;

public static class TelemetrySetup
{
    /// <summary>Sources every process listens to: .NET 10 and MassTransit emit these natively.</summary>
    public static readonly string[] TraceSources =
        ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", "Yarp.ReverseProxy", PlatformActivity.SourceName];

    public static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", "MassTransit", PlatformActivity.SourceName];

    /// <summary>
    /// OpenTelemetry.Extensions.Hosting is absent here, so providers are built by hand and owned by a hosted
    /// service that disposes (and so flushes) them at shutdown.
    /// </summary>
    /// <summary>OTEL_TRACES_SAMPLER_ARG as a ratio of traces kept; 1 when unset or not a number in [0, 1].</summary>
    internal static double SampleRatio(IConfiguration configuration) =>
        double.TryParse(configuration["OTEL_TRACES_SAMPLER_ARG"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r)
            && r is >= 0 and <= 1 ? r : 1;

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var name = builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName;
        builder.Services.AddSingleton(new PlatformActivity(name));
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }

        var protocol = string.Equals(builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "grpc", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.Grpc
            : OtlpExportProtocol.HttpProtobuf;
        var resource = ResourceBuilder.CreateDefault().AddService(name, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId);

        void Exporter(OtlpExporterOptions o, string signal)
        {
            o.Protocol = protocol;
            // With HTTP/protobuf the SDK does not append the signal path when the endpoint is set in code.
            o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.TrimEnd('/') + "/v1/" + signal)
                : new Uri(endpoint);
        }

        var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(TraceSources)
            .SetSampler(new ParentBasedSampler(new HealthProbeSampler(SampleRatio(builder.Configuration))))
            .AddOtlpExporter(o => Exporter(o, "traces"))
            .Build();
        var meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter((o, r) =>
            {
                Exporter(o, "metrics");
                r.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000;
            })
            .Build();
        builder.Services.AddSingleton(new TelemetryProviders(tracer, meter));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryProviders>());

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
            o.AddOtlpExporter(e => Exporter(e, "logs"));
        });
        return builder;
    }
}

/// <summary>
/// Root sampler: YARP's active health checks start a root span per cluster every interval; drop it, and with it the
/// probes beneath it (ParentBased drops children of an unsampled parent). Other traces are kept at the ratio of
/// OTEL_TRACES_SAMPLER_ARG (the standard variable; all of them when unset, as in the local run), decided once at the
/// root from the trace id so a kept trace is whole across services.
/// </summary>
internal sealed class HealthProbeSampler(double ratio) : Sampler
{
    private readonly TraceIdRatioBasedSampler kept = new(ratio);

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Name is "proxy.cluster_health_checks" or "proxy.destination_health_check"
            ? new(SamplingDecision.Drop)
            : kept.ShouldSample(parameters);
}

/// <summary>Holds the providers for the process lifetime; disposing flushes what is buffered.</summary>
internal sealed class TelemetryProviders(TracerProvider? tracer, MeterProvider? meter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private int stopped;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped twice at once (WebApplicationFactory's dispose and app.Run's own shutdown); the SDK's
        // Dispose is not safe to run concurrently.
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            tracer?.Dispose();
            meter?.Dispose();
        }
        return Task.CompletedTask;
    }
}

/// <summary>The platform's own ActivitySource and Meter (outbox relay, inbox, jobs).</summary>
public sealed class PlatformActivity(string serviceName)
{
    public const string SourceName = "Xuncha.Platform";
    public static readonly ActivitySource Source = new(SourceName);
    public static readonly System.Diagnostics.Metrics.Meter Meter = new(SourceName);
    public string ServiceName { get; } = serviceName;
}
