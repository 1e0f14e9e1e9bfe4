namespace Xuncha.Launcher.Model;

/// <summary>
/// The resource graph in Aspire's model: servers, databases and projects, with <c>WithReference</c> (which sets the
/// same environment variables Aspire sets) and <c>WaitFor</c> (health-gated start). Moving to Aspire is mostly renames.
/// </summary>
public sealed class PlatformBuilder
{
    private readonly List<Resource> resources = [];
    private readonly List<ProjectBuilder> projects = [];

    public PostgresResource AddPostgres(string name, string directory, int port, bool durable) =>
        Add(new PostgresResource(name, directory, port, durable));

    public DatabaseResource AddDatabase(PostgresResource server, string name)
    {
        var db = Add(new DatabaseResource(name, server));
        db.WaitsFor.Add(server);
        return db;
    }

    public RabbitMqResource AddRabbitMq(string name, string directory, int amqpPort, int managementPort) =>
        Add(new RabbitMqResource(name, directory, amqpPort, managementPort));

    /// <summary>A service; <paramref name="port"/> is the first replica's port, further replicas take free ports.</summary>
    public ProjectBuilder AddProject(string name, string dll, int port)
    {
        var project = new ProjectBuilder(name, dll, port);
        projects.Add(project);
        return project;
    }

    public Platform Build(Action<Resource, string>? echo = null)
    {
        foreach (var project in projects)
        {
            resources.AddRange(project.Materialise(echo));
        }
        ProjectBuilder.WireAll(projects);
        return new Platform(resources);
    }

    private T Add<T>(T resource) where T : Resource
    {
        resources.Add(resource);
        return resource;
    }
}

public sealed class ProjectBuilder(string name, string dll, int port)
{
    private readonly Dictionary<string, Func<string>> environment = new()
    {
        ["OTEL_SERVICE_NAME"] = () => name,
    };
    private readonly List<Resource> waitFor = [];
    private readonly List<ProjectBuilder> waitForProjects = [];
    private List<ProjectResource>? replicas;
    private DatabaseResource? database;
    private string? migrationsFolder;

    public string Name => name;
    public int ReplicaCount { get; private set; } = 1;
    public IReadOnlyList<ProjectResource> Replicas => replicas ?? throw new InvalidOperationException("not built yet");
    private readonly List<int> ports = [port];

    public ProjectBuilder WithReplicas(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ReplicaCount = count;
        while (ports.Count < count) ports.Add(Shell.FreePort());
        return this;
    }

    public ProjectBuilder WithEnvironment(string key, string value) => WithEnvironment(key, () => value);

    public ProjectBuilder WithEnvironment(string key, Func<string> value)
    {
        environment[key] = value;
        return this;
    }

    /// <summary>
    /// ConnectionStrings__&lt;db&gt;; once the database is up the service migrates it (<c>--migrate</c>, once for all
    /// replicas) while the rest of what it waits for is still starting.
    /// </summary>
    public ProjectBuilder WithReference(DatabaseResource db)
    {
        database = db;
        return WithEnvironment($"ConnectionStrings__{db.Name}", () => db.ConnectionString);
    }

    /// <summary>The folder of the service's committed migrations: when the database already has the latest, no --migrate run is needed.</summary>
    public ProjectBuilder WithMigrations(string folder)
    {
        migrationsFolder = folder;
        return this;
    }

    public ProjectBuilder WithReference(RabbitMqResource bus) =>
        WithEnvironment($"ConnectionStrings__{bus.Name}", () => bus.AmqpUri);

    /// <summary>services__&lt;name&gt;__http__&lt;i&gt; for every replica of the other project.</summary>
    public ProjectBuilder WithReference(ProjectBuilder other)
    {
        for (var i = 0; i < other.ReplicaCount; i++)
        {
            var index = i;
            WithEnvironment($"services__{other.Name}__http__{i}", () => other.Replicas[index].Url!);
        }
        return this;
    }

    public ProjectBuilder WaitFor(Resource resource)
    {
        waitFor.Add(resource);
        return this;
    }

    public ProjectBuilder WaitFor(ProjectBuilder other)
    {
        waitForProjects.Add(other);
        return this;
    }

    internal IEnumerable<ProjectResource> Materialise(Action<Resource, string>? echo)
    {
        replicas = [];
        Lazy<Task>? shared = null;
        for (var i = 0; i < ReplicaCount; i++)
        {
            var resourceName = ReplicaCount == 1 ? name : $"{name}-{i}";
            var replica = new ProjectResource(resourceName, name, i, dll, ports[i], environment, database, migrationsFolder);
            // Replicas share the first one's migration so it runs once.
            shared ??= replica.OwnMigration;
            replica.SharedMigration = shared;
            if (echo is not null) replica.Echo = line => echo(replica, line);
            replicas.Add(replica);
        }
        return replicas;
    }

    /// <summary>Called once every builder has materialised, so cross-project waits can name replicas.</summary>
    internal void Wire()
    {
        foreach (var replica in Replicas)
        {
            replica.WaitsFor.AddRange(waitFor);
            replica.WaitsFor.AddRange(waitForProjects.SelectMany(p => p.Replicas));
        }
    }

    internal static void WireAll(IEnumerable<ProjectBuilder> all)
    {
        foreach (var p in all) p.Wire();
    }
}
