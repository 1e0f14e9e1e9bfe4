using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Xuncha.Gateway.Health;

/// <summary>
/// Each cluster's destinations as YARP's active health checks see them. A service with no healthy instance makes the
/// gateway Degraded, not Unhealthy: the gateway still serves every other service, so it must stay in rotation.
/// </summary>
internal sealed class ClusterHealth(IProxyStateLookup proxy) : IHealthCheck
{
    public const string Name = "clusters";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clusters = proxy.GetClusters().OrderBy(c => c.ClusterId).ToDictionary(c => c.ClusterId, c =>
        {
            var available = c.DestinationsState.AvailableDestinations.Count;
            return new Destinations(available, c.DestinationsState.AllDestinations.Count - available);
        });
        var data = clusters.ToDictionary(c => c.Key, c => (object)c.Value);
        var down = clusters.Where(c => c.Value.Healthy == 0).Select(c => c.Key).ToList();
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Degraded("No healthy instance: " + string.Join(", ", down), data: data));
    }

    /// <summary>The /health body: overall status and, per cluster, how many destinations are in and out of rotation.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            clusters = report.Entries.TryGetValue(Name, out var entry) ? entry.Data : new Dictionary<string, object>(),
        });

    private sealed record Destinations(int Healthy, int Unhealthy);
}
