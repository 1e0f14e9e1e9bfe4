using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Cards;
using Xuncha.Staffing.Evaluations;
using Xuncha.Staffing.Groups;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing;

public static class StaffingSetup
{
    public static IHostApplicationBuilder AddStaffing(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<StaffingPolicy>(builder.Configuration.GetSection("Staffing:Policy"))
            // Binding appends configured list items to the defaults: keep each specialty once.
            .PostConfigure<StaffingPolicy>(p => p.RequiredSpecialties = [.. p.RequiredSpecialties.Distinct()]);
        builder.Services.AddSingleton<IdentityNumberHasher>();
        builder.Services.AddScoped<PolicyResolver>();
        return builder;
    }

    /// <summary>After migrations, before serving: fail fast on a missing identity-hash key, then the demo seed when asked for.</summary>
    public static async Task PrepareAsync(IServiceProvider services)
    {
        services.GetRequiredService<IdentityNumberHasher>();
        await Seed.DemoSeed.RunAsync(services);
    }

    public static WebApplication MapStaffing(this WebApplication app)
    {
        app.MapCadres();
        app.MapPolicies();
        app.MapRounds();
        app.MapGroups();
        app.MapCards();
        app.MapEvaluations();
        return app;
    }
}
