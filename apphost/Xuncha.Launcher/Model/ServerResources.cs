namespace Xuncha.Launcher.Model;

/// <summary>The local PostgreSQL cluster (durable: data kept between runs).</summary>
public sealed class PostgresResource(string name, string directory, int port, bool durable) : Resource(name)
{
    public override string Kind => "postgres";
    public PostgresServer? Server { get; private set; }
    public int Port => port;
    public override int? ProcessId => Server?.ProcessId;
    internal override bool HasExited => Server is null || Server.ProcessId is null;

    internal override async Task StartAsync(CancellationToken ct)
    {
        Server = await PostgresServer.StartAsync(directory, port, durable);
        Url = $"postgresql://127.0.0.1:{port}";
        foreach (var line in Shell.Tail(Server.LogFile, 20).Split('\n')) Log.Append(line);
    }

    internal override Task<bool> IsHealthyAsync(CancellationToken ct) => ServerProbe.AcceptsAsync(port, ct);
    internal override async Task StopAsync()
    {
        if (Server is null) return;
        await Server.StopAsync(fast: false);
        // Our pooled connections (database creation, migration checks) died with the server: a start must not reuse them.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>A database in the cluster, named like its connection string (planningdb…).</summary>
public sealed class DatabaseResource(string name, PostgresResource server) : Resource(name)
{
    public override string Kind => "database";
    public PostgresResource Server => server;
    public string ConnectionString => server.Server?.ConnectionString(Name) ?? throw new InvalidOperationException($"{server.Name} has not started");
    public override int? ProcessId => null;
    internal override bool HasExited => server.HasExited;

    internal override async Task StartAsync(CancellationToken ct)
    {
        await server.Server!.EnsureDatabaseAsync(Name);
        Url = $"postgresql://127.0.0.1:{server.Port}/{Name}";
    }

    internal override Task<bool> IsHealthyAsync(CancellationToken ct) => Task.FromResult(!server.HasExited);
    internal override Task StopAsync() => Task.CompletedTask;
}

/// <summary>The local RabbitMQ node (the "eventbus" connection), management UI on loopback.</summary>
public sealed class RabbitMqResource(string name, string directory, int amqpPort, int managementPort) : Resource(name)
{
    public override string Kind => "rabbitmq";
    public RabbitMqServer? Server { get; private set; }
    /// <summary>Known before the node is up (the port is ours), so a migration may start while the broker boots.</summary>
    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:{amqpPort}/";
    // The Process object keeps its id after the node has gone: a stopped node shows no pid.
    public override int? ProcessId => Server?.ProcessId is { } pid && Posix.IsAlive(pid) ? pid : null;
    internal override bool HasExited => ProcessId is null;

    internal override async Task StartAsync(CancellationToken ct)
    {
        Server = await RabbitMqServer.StartAsync(directory, amqpPort, managementPort);
        Url = Server.ManagementUrl;
        foreach (var line in Server.LogTail().Split('\n').TakeLast(20)) Log.Append(line);
    }

    internal override Task<bool> IsHealthyAsync(CancellationToken ct) => ServerProbe.AcceptsAsync(amqpPort, ct);
    internal override Task StopAsync() => Server?.StopAsync() ?? Task.CompletedTask;
}
