using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Datasets;
using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>The migration to one partition per dataset version keeps rows imported before it, and its Down puts them back.</summary>
[Collection(Servers.Name)]
public sealed class DatasetPartitionTests(PlatformServers servers)
{
    private const string BeforePartitions = "20261126100000_EvidenceAsJson";

    [Fact]
    public async Task Rows_imported_before_the_partition_migration_move_to_their_versions_partitions_and_back()
    {
        var database = await servers.CreateDatabaseAsync("auditmigration");
        await using var db = new AuditDb(new DbContextOptionsBuilder<AuditDb>()
            .UseNpgsql(database, n => n.MigrationsHistoryTable("__ef_migrations_history")).Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(BeforePartitions);

        Guid[] versions = [Guid.CreateVersion7(), Guid.CreateVersion7()];
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        for (var v = 0; v < versions.Length; v++)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO ds_death_registry SELECT $1, n, sha256(n::text::bytea), '610102********000' || n, '某人' || n, date '2024-01-01' + n FROM generate_series(1, $2) n", conn);
            insert.Parameters.Add(new NpgsqlParameter { Value = versions[v] });
            insert.Parameters.Add(new NpgsqlParameter { Value = 3 + v });
            await insert.ExecuteNonQueryAsync();
        }
        var before = await RowsAsync(conn);

        await migrator.MigrateAsync();
        Assert.Equal('p', await ScalarAsync<char>(conn, "SELECT relkind FROM pg_class WHERE relname = 'ds_death_registry'"));
        foreach (var (version, rows) in versions.Zip(new[] { 3L, 4L }))
        {
            var partition = DatasetCatalog.DeathRegistry.PartitionFor(version);
            Assert.Equal(rows, await ScalarAsync<long>(conn, $"SELECT count(*) FROM {partition} WHERE version_id = '{version}'"));
        }
        Assert.Equal(before, await RowsAsync(conn));

        await migrator.MigrateAsync(BeforePartitions);
        Assert.Equal('r', await ScalarAsync<char>(conn, "SELECT relkind FROM pg_class WHERE relname = 'ds_death_registry'"));
        Assert.Equal(before, await RowsAsync(conn));
    }

    private static Task<string> RowsAsync(NpgsqlConnection conn) =>
        ScalarAsync<string>(conn, "SELECT string_agg(t::text, '|' ORDER BY t.version_id, t.line) FROM ds_death_registry t");

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
