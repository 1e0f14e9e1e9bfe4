using Npgsql;
using Xuncha.Launcher;
using Xunit;

namespace Xuncha.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ a test assembly runs against: started on free ports in a throwaway folder (or the
/// servers named by XUNCHA_TEST_PG / XUNCHA_TEST_AMQP), removed at the end. A server that cannot start fails every test
/// that needs it, with the server's log tail — never a silent skip.
/// </summary>
public sealed class PlatformServers : IAsyncLifetime
{
    private readonly string baseDir = Path.Combine(Path.GetTempPath(), "xuncha-test-" + Guid.NewGuid().ToString("N")[..12]);
    private PostgresServer? postgres;
    private string? externalPostgres;
    private string? externalAmqp;

    public RabbitMqServer? Broker { get; private set; }

    public async Task InitializeAsync()
    {
        externalPostgres = Environment.GetEnvironmentVariable("XUNCHA_TEST_PG");
        externalAmqp = Environment.GetEnvironmentVariable("XUNCHA_TEST_AMQP");
        // A crashed test host must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAsync().GetAwaiter().GetResult();
        var pg = externalPostgres is null
            ? Task.Run(async () => postgres = await PostgresServer.StartAsync(Path.Combine(baseDir, "pg"), Shell.FreePort(), durable: false))
            : Task.CompletedTask;
        var mq = externalAmqp is null
            ? Task.Run(async () => Broker = await RabbitMqServer.StartAsync(Path.Combine(baseDir, "mq"), RabbitMqServer.FreeAmqpPort(), Shell.FreePort()))
            : Task.CompletedTask;
        await Task.WhenAll(pg, mq);
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        if (externalPostgres is not null)
        {
            var b = new NpgsqlConnectionStringBuilder(externalPostgres);
            await using var conn = new NpgsqlConnection(externalPostgres);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
            b.Database = name;
            return b.ConnectionString;
        }
        return await Postgres.EnsureDatabaseAsync(name);
    }

    /// <summary>A new virtual host, so one test class never receives another's messages; its amqp:// URI.</summary>
    public async Task<string> CreateVirtualHostAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        if (externalAmqp is not null)
        {
            // An external broker is used as given: tests share its default virtual host.
            return externalAmqp;
        }
        return await OwnBroker.CreateVirtualHostAsync(name);
    }

    public PostgresServer Postgres => postgres ?? throw new InvalidOperationException("PostgreSQL is external (XUNCHA_TEST_PG); this test needs to control its own server.");

    public RabbitMqServer OwnBroker => Broker ?? throw new InvalidOperationException("RabbitMQ is external (XUNCHA_TEST_AMQP); this test needs to control its own broker.");

    public async Task DisposeAsync() => await StopAsync();

    private int stopped;

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        var tasks = new List<Task>();
        if (postgres is not null) tasks.Add(postgres.StopAsync());
        if (Broker is not null) tasks.Add(Broker.StopAsync());
        try
        {
            await Task.WhenAll(tasks);
        }
        finally
        {
            try { Directory.Delete(baseDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
