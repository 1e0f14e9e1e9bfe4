using System.Text.RegularExpressions;
using Npgsql;

namespace Xuncha.Launcher.Model;

/// <summary>
/// Compares the newest committed migration (its file name) with the database's EF migrations history (the table
/// ServiceDefaults names __ef_migrations_history).
/// </summary>
internal static partial class MigrationState
{
    /// <summary>The latest migration id when the database already has it; null when a --migrate run is needed.</summary>
    public static async Task<string?> IsCurrentAsync(DatabaseResource database, string? folder)
    {
        if (folder is null || !Directory.Exists(folder)) return null;
        var latest = Directory.EnumerateFiles(folder, "*.cs")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && MigrationFile().IsMatch(n))
            .Max();
        if (latest is null) return null;
        try
        {
            await using var conn = new NpgsqlConnection(database.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT max(\"MigrationId\") FROM __ef_migrations_history", conn);
            return await cmd.ExecuteScalarAsync() is string applied && string.CompareOrdinal(applied, latest) >= 0 ? latest : null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;   // a new database: never migrated
        }
    }

    [GeneratedRegex(@"^\d{14}_[A-Za-z0-9_]+$")]
    private static partial Regex MigrationFile();
}
