using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Datasets;
using Xuncha.AuditLinkage.Deployment;
using Xuncha.AuditLinkage.Problems;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.AuditLinkage.Rules;
using Xuncha.AuditLinkage.Runs;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.AuditLinkage;

public static class AuditLinkageSetup
{
    /// <summary>Default cap on one dataset upload (AuditLinkage:MaxImportBytes); the rest of the API keeps the 1 MB default.</summary>
    public const long DefaultMaxImportBytes = 2L * 1024 * 1024 * 1024;

    public static IHostApplicationBuilder AddAuditLinkage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoundAccess>();
        builder.Services.AddSingleton<IdentityNumbers>();
        builder.Services.AddScoped<DatasetImporter>();
        builder.Services.AddScoped<ComparisonRunner>();
        return builder;
    }

    public static WebApplication MapAuditLinkage(this WebApplication app)
    {
        // Every route needs a token with this API's scope as well as the audience.
        var api = app.MapGroup("").RequireScope("audit");
        api.MapDatasets(app.Configuration.GetValue("AuditLinkage:MaxImportBytes", DefaultMaxImportBytes));
        api.MapRules();
        api.MapRuns();
        api.MapDeployments();
        api.MapProblems();
        return app;
    }

    /// <summary>After migration: the built-in rule library, added once (a version 1 that exists is left alone).</summary>
    public static async Task PrepareAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuditDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await db.Database.OpenConnectionAsync();
        try
        {
            // Replicas starting together seed once.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7309)");
            var present = await db.Rules.Select(r => r.Code).Distinct().ToListAsync();
            foreach (var (code, name, definition) in BuiltInRules.All.Where(r => !present.Contains(r.Code)))
            {
                db.Rules.Add(new RuleVersion { Code = code, Version = 1, Name = name, Definition = definition, CreatedBy = "system", CreatedAt = clock.GetUtcNow(), Reason = "内置规则" });
            }
            await db.SaveChangesAsync();
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7309)");
            await db.Database.CloseConnectionAsync();
        }
    }
}
