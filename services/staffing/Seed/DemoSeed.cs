using Microsoft.EntityFrameworkCore;
using Xuncha.Staffing.Data;

namespace Xuncha.Staffing.Seed;

/// <summary>With Demo:Seed=true, fills an empty pool with the demo cadres once, whichever replica gets there first.</summary>
public static class DemoSeed
{
    public static async Task RunAsync(IServiceProvider services)
    {
        if (!services.GetRequiredService<IConfiguration>().GetValue("Demo:Seed", false))
        {
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StaffingDb>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Xuncha.Staffing.DemoSeed");
        await db.Database.OpenConnectionAsync();
        try
        {
            // 7302: staffing's seed lock (7301 is the migration lock).
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7302)");
            var first = DemoPool.IdOf(1);
            if (await db.Cadres.AnyAsync(c => c.Id == first))
            {
                return;
            }
            var cadres = DemoPool.Generate();
            db.Cadres.AddRange(cadres);
            scope.ServiceProvider.GetRequiredService<Xuncha.ServiceDefaults.Audit.AuditTrail>()
                .Record(db, "cadres.seeded", "cadre-pool", DemoUnits.City, after: new { count = cadres.Count }, reason: "Demo:Seed");
            await db.SaveChangesAsync();
            logger.LogInformation("Seeded {Count} demo cadres", cadres.Count);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7302)");
            await db.Database.CloseConnectionAsync();
        }
    }
}
