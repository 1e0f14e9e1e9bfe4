using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Demo;
using Xuncha.Planning.Standards;

namespace Xuncha.Planning.Data;

/// <summary>Runs after migrations, before serving: the standards library's first version always, the demo city when asked.</summary>
public static class PlanningSetup
{
    public static async Task PrepareAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanningDb>();
        if (!await CanReachSchemaAsync(db)) return;
        await StandardsSeed.EnsureAsync(db);
        if (scope.ServiceProvider.GetRequiredService<IConfiguration>().GetValue("Demo:Seed", false))
        {
            await DemoSeed.RunAsync(db);
        }
    }

    // Without MigrateOnStart the schema may not exist yet (a separate --migrate job runs first); then there is nothing to seed.
    private static async Task<bool> CanReachSchemaAsync(PlanningDb db)
    {
        var pending = await db.Database.GetPendingMigrationsAsync();
        return !pending.Any();
    }
}
