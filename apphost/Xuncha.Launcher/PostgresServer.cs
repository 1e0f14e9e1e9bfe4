using Npgsql;

namespace Xuncha.Launcher;

/// <summary>
/// A private PostgreSQL cluster on 127.0.0.1 in a folder of ours. Throwaway clusters drop fsync for speed;
/// durable ones (the local run's, which keeps data) do not.
/// </summary>
public sealed class PostgresServer
{
    private PostgresServer(string baseDir, int port)
    {
        BaseDir = baseDir;
        Port = port;
    }

    public string BaseDir { get; }
    public int Port { get; }
    public string DataDir => Path.Combine(BaseDir, "data");
    public string LogFile => Path.Combine(BaseDir, "server.log");

    /// <summary>The postmaster's pid (first line of postmaster.pid) while it runs.</summary>
    public int? ProcessId =>
        File.Exists(Path.Combine(DataDir, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).FirstOrDefault(), out var pid)
        && Posix.IsAlive(pid) ? pid : null;

    public static string BinDir =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
              ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin); run scripts/prereqs.sh")
            : throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql); run scripts/prereqs.sh");

    public static async Task<PostgresServer> StartAsync(string baseDir, int port, bool durable)
    {
        var server = new PostgresServer(Path.GetFullPath(baseDir), port);
        await server.InitAsync();
        await server.StartAsync(durable);
        return server;
    }

    private async Task InitAsync()
    {
        Directory.CreateDirectory(BaseDir);
        if (Shell.IsRoot)
        {
            await Shell.RunAsync("chown", ["postgres:postgres", BaseDir]);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(BaseDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (File.Exists(Path.Combine(DataDir, "PG_VERSION")))
        {
            return;
        }
        var (code, output) = await Shell.RunAsPostgresAsync(
            $"{Shell.Quote(Path.Combine(BinDir, "initdb"))} -D {Shell.Quote(DataDir)} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
        if (code != 0)
        {
            throw new InvalidOperationException($"initdb failed ({code}):\n{output}");
        }
    }

    private async Task StartAsync(bool durable)
    {
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {BaseDir} -c max_connections=300";
        if (!durable)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }
        var (code, output) = await Shell.RunAsPostgresAsync(
            $"{Shell.Quote(Path.Combine(BinDir, "pg_ctl"))} -D {Shell.Quote(DataDir)} -l {Shell.Quote(LogFile)} -w -t 60 -o {Shell.Quote(options)} start");
        if (code != 0)
        {
            // pg_ctl gives up waiting, not the server: one still booting must not outlive the failed attempt.
            await Shell.RunAsPostgresAsync($"{Shell.Quote(Path.Combine(BinDir, "pg_ctl"))} -D {Shell.Quote(DataDir)} -m immediate stop");
            throw new InvalidOperationException($"PostgreSQL did not start on port {Port} ({code}):\n{output}\n--- {LogFile} ---\n{Shell.Tail(LogFile)}");
        }
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 50 }.ConnectionString;

    /// <summary>Creates the database when missing; returns its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string database)
    {
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "")}\"", conn);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(database);
    }

    public async Task<bool> IsReadyAsync()
    {
        var (code, _) = await Shell.RunAsync(Path.Combine(BinDir, "pg_isready"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-q"], timeout: TimeSpan.FromSeconds(10));
        return code == 0;
    }

    public async Task StopAsync(bool fast = true)
    {
        await Shell.RunAsPostgresAsync(
            $"{Shell.Quote(Path.Combine(BinDir, "pg_ctl"))} -D {Shell.Quote(DataDir)} -m {(fast ? "immediate" : "fast")} -w stop");
    }

    public async Task RestartAsync(bool durable)
    {
        await StopAsync(fast: false);
        await StartAsync(durable);
    }
}
