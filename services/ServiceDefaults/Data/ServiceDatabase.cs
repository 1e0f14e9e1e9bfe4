using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.ServiceDefaults.Data;

public static class ServiceDatabase
{
    /// <summary>EF Core on PostgreSQL for the service's own database, with the outbox wake-up hook and a readiness check.</summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDb>(this IHostApplicationBuilder builder, string connectionName)
        where TDb : DbContext
    {
        var configured = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing (ConnectionStrings__{connectionName}).");
        // A pooled connection is not reset (DISCARD ALL) each time it goes back: EF opens and closes one per query, so
        // that was a statement and a transaction of its own for every query — four per audit-finding command. Nothing
        // here leaves session state behind: advisory locks are released in finally, temporary tables drop on commit,
        // and there is no SET, LISTEN or PREPARE. An open transaction is still rolled back on return.
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(configured) { NoResetOnClose = true }.ConnectionString;
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();
        builder.Services.AddDbContext<TDb>((sp, o) => o
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TDb>>(connectionName, tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Starts the service; with <c>--migrate</c> applies migrations and exits instead (the one-shot Job in Kubernetes,
    /// the step before start in the apphost). <c>Database:MigrateOnStart</c> migrates in-process, under an advisory lock
    /// so several replicas can start together. <paramref name="beforeStart"/> runs after migrations, before serving.
    /// </summary>
    public static async Task<int> RunServiceAsync<TDb>(this WebApplication app, string[] args, Func<IServiceProvider, Task>? beforeStart = null) where TDb : DbContext
    {
        if (args.Contains("--migrate"))
        {
            await app.Services.MigrateAsync<TDb>();
            return 0;
        }
        if (app.Configuration.GetValue("Database:MigrateOnStart", false))
        {
            await app.Services.MigrateAsync<TDb>();
        }
        if (beforeStart is not null)
        {
            await beforeStart(app.Services);
        }
        await app.RunAsync();
        return 0;
    }

    public static async Task MigrateAsync<TDb>(this IServiceProvider services, CancellationToken cancellationToken = default) where TDb : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Xuncha.Migrations");
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // One migrator at a time across replicas; the lock dies with the session if the process dies.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7301)", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(PlatformTables.AppendOnlyAuditSql, cancellationToken);
            // Asked after migrating: before, the history table may not exist and EF logs the failed probe as an error.
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count();
            logger.LogInformation("Database {Database} is at migration {Count} of {Total}", db.Database.GetDbConnection().Database, applied, db.Database.GetMigrations().Count());
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7301)", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }
}
