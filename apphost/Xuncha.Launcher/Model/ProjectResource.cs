namespace Xuncha.Launcher.Model;

/// <summary>
/// One replica of a .NET service (<c>dotnet &lt;dll&gt;</c>), configured only through Aspire-named environment
/// variables. Replicas of a service share one migration step, run once before the first of them starts.
/// </summary>
public sealed class ProjectResource : Resource
{
    private readonly Dictionary<string, Func<string>> environment;
    private readonly Lazy<Task>? migration;
    private readonly string? migrationsFolder;
    private ServiceProcess? process;

    internal ProjectResource(string name, string service, int replica, string dll, int port,
        Dictionary<string, Func<string>> environment, DatabaseResource? database, string? migrationsFolder) : base(name)
    {
        Service = service;
        Replica = replica;
        Dll = dll;
        Port = port;
        Url = $"http://127.0.0.1:{port}";
        this.environment = environment;
        Database = database;
        this.migrationsFolder = migrationsFolder;
        migration = database is null ? null : new Lazy<Task>(MigrateAsync);
    }

    public override string Kind => "project";
    public string Service { get; }
    public int Replica { get; }
    public string Dll { get; }
    /// <summary>The database the service migrates (once, before it starts), if any.</summary>
    public DatabaseResource? Database { get; }
    public int Port { get; }
    public override int? ProcessId => process is { HasExited: false } p ? p.ProcessId : null;
    internal override bool HasExited => process?.HasExited ?? true;
    internal Action<string>? Echo { get; set; }
    internal Lazy<Task>? SharedMigration { get; set; }
    internal Lazy<Task>? OwnMigration => migration;

    public IReadOnlyDictionary<string, string> Environment() => environment.ToDictionary(e => e.Key, e => e.Value());

    /// <summary>The variable names this replica is given, known before anything runs (deployment manifests must match them).</summary>
    public IReadOnlyCollection<string> EnvironmentNames => environment.Keys;

    internal override async Task StartAsync(CancellationToken ct)
    {
        if (!File.Exists(Dll))
        {
            throw new FileNotFoundException($"{Name}: {Dll} is missing — build the solution in Release first (./run.sh does)");
        }
        ExitCode = null;
        process = ServiceProcess.Start(Name, Dll, Port, Environment(), line =>
        {
            Log.Append(line);
            Echo?.Invoke(line);
        }, prefix: false);
    }

    /// <summary>Runs the service's migration step once for all its replicas (awaited by each).</summary>
    internal Task MigrateOnceAsync() => (SharedMigration ?? migration)?.Value ?? Task.CompletedTask;

    private async Task MigrateAsync()
    {
        // A warm start skips the one-shot process when the database already has the repository's latest migration.
        if (await MigrationState.IsCurrentAsync(Database!, migrationsFolder) is { } latest)
        {
            Log.Append($"── {Service}: migrations up to date ({latest}); --migrate not needed");
            return;
        }
        Log.Append($"── {Service}: dotnet {Path.GetFileName(Dll)} --migrate");
        var output = await ServiceProcess.MigrateAsync(Service, Dll, Environment());
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20)) Log.Append(line);
    }

    internal override async Task<bool> IsHealthyAsync(CancellationToken ct)
    {
        if (HasExited) return false;
        try
        {
            using var response = await Http.GetAsync(Url + "/health", ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    internal override async Task StopAsync()
    {
        if (process is not null) await process.StopAsync();
        ExitCode = process?.ExitCode;
    }

    internal int? LastExitCode => process?.ExitCode;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
}
