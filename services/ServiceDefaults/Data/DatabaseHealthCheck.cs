using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Xuncha.ServiceDefaults.Data;

internal sealed class DatabaseHealthCheck<TDb>(TDb db) : IHealthCheck where TDb : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }
    }
}
