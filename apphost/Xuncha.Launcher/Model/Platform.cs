namespace Xuncha.Launcher.Model;

/// <summary>
/// Runs the graph: every resource starts once everything it waits for is healthy (independent ones in parallel),
/// then a monitor keeps each state current. A child that dies is shown as exited with its code; nothing restarts
/// unless someone asks. An operator may stop, start or restart any resource (Aspire's resource commands); a
/// stopped one stays stopped.
/// </summary>
public sealed class Platform(IReadOnlyList<Resource> resources) : IAsyncDisposable
{
    private readonly Dictionary<Resource, TaskCompletionSource> healthy = resources.ToDictionary(r => r, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    private readonly CancellationTokenSource stopping = new();
    // One operator-requested start at a time: each boots a process on a machine of two cores.
    private readonly SemaphoreSlim restartGate = new(1, 1);
    private Task? monitor;

    public IReadOnlyList<Resource> Resources => resources;

    /// <summary>Every state change, with a note (exit code, failure); the apphost prints them.</summary>
    public event Action<Resource, string?>? StateChanged;
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(90);
    public DateTimeOffset? AllHealthyAt { get; private set; }

    public Resource this[string name] => resources.First(r => r.Name == name);

    /// <summary>Starts everything; returns when all are healthy, throws naming each resource that failed.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        foreach (var r in resources) r.Changed = (resource, note) => StateChanged?.Invoke(resource, note);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping.Token);
        var starts = resources.Select(r => StartWhenReadyAsync(r, linked.Token)).ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            var failures = resources.Where(r => r.State == ResourceState.Failed).Select(r => $"{r.Name}: {r.Error}");
            throw new InvalidOperationException("the platform did not start:\n" + string.Join("\n", failures));
        }
        finally
        {
            monitor ??= Task.Run(() => MonitorAsync(stopping.Token));
        }
        AllHealthyAt = DateTimeOffset.UtcNow;
    }

    private async Task StartWhenReadyAsync(Resource resource, CancellationToken ct)
    {
        try
        {
            if (resource is ProjectResource { Database: { } database } project)
            {
                // Migrations need only the database: they run while the broker and other dependencies start.
                await healthy[database].Task.WaitAsync(ct);
                resource.Mark(ResourceState.Starting, "migrating");
                await project.MigrateOnceAsync();
            }
            foreach (var dependency in resource.WaitsFor)
            {
                await healthy[dependency].Task.WaitAsync(ct);
            }
            await StartOneAsync(resource, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            resource.Error ??= e.Message;
            resource.Mark(ResourceState.Failed, e.Message.Split('\n')[0]);
            healthy[resource].TrySetException(new InvalidOperationException($"{resource.Name} failed to start"));
            throw;
        }
    }

    private async Task StartOneAsync(Resource resource, CancellationToken ct)
    {
        resource.Error = null;
        resource.Mark(ResourceState.Starting);
        resource.StartedAt = DateTimeOffset.UtcNow;
        await resource.StartAsync(ct);
        var deadline = DateTime.UtcNow + HealthTimeout;
        while (!await resource.IsHealthyAsync(ct))
        {
            if (resource.HasExited && resource is ProjectResource p)
            {
                resource.ExitCode = p.LastExitCode;
                throw new InvalidOperationException($"exited with code {p.LastExitCode} while starting:\n{string.Join('\n', resource.Log.Last(30))}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not healthy within {HealthTimeout.TotalSeconds:0} s:\n{string.Join('\n', resource.Log.Last(30))}");
            }
            await Task.Delay(150, ct);
        }
        resource.HealthyAt = DateTimeOffset.UtcNow;
        resource.Mark(ResourceState.Healthy, $"{(resource.HealthyAt - resource.StartedAt)!.Value.TotalSeconds:0.0} s after its start");
        healthy[resource].TrySetResult();
    }

    private async Task MonitorAsync(CancellationToken ct)
    {
        var failures = new Dictionary<Resource, int>();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                foreach (var r in resources)
                {
                    if (!IsRunning(r.State))
                    {
                        failures.Remove(r);
                        continue;
                    }
                    // Every verdict below holds only if the resource is still running when it is given: an operator's
                    // stop during the probe wins, so a deliberately stopped resource is never shown as exited.
                    if (r.HasExited && r is not DatabaseResource)
                    {
                        var code = (r as ProjectResource)?.LastExitCode;
                        if (r.MarkIf(IsRunning, ResourceState.Exited, code is { } c ? $"exit code {c}" : "process gone")) r.ExitCode = code;
                        continue;
                    }
                    // One slow probe on a busy machine is not a sick service: two failures in a row are.
                    if (await r.IsHealthyAsync(ct))
                    {
                        failures.Remove(r);
                        r.MarkIf(IsRunning, ResourceState.Healthy);
                    }
                    else if ((failures[r] = failures.GetValueOrDefault(r) + 1) >= 2)
                    {
                        r.MarkIf(IsRunning, ResourceState.Unhealthy);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static bool IsRunning(ResourceState state) => state is ResourceState.Healthy or ResourceState.Unhealthy;

    private static bool IsDown(ResourceState state) => state is ResourceState.Stopped or ResourceState.Exited or ResourceState.Failed;

    /// <summary>
    /// Stops (if running) and starts one project replica again. Refused at once (<see cref="ResourceStateException"/>)
    /// while it is waiting, starting or stopping; the task completes when it is healthy again.
    /// </summary>
    public Task RestartAsync(string name, CancellationToken ct = default)
    {
        var resource = Find(name) as ProjectResource ?? throw new ResourceStateException($"only services restart; {name} is a {Find(name).Kind}");
        if (!resource.MarkIf(s => IsRunning(s) || IsDown(s), ResourceState.Stopping, "restart requested"))
        {
            throw new ResourceStateException($"{name} is {resource.State.ToString().ToLowerInvariant()}: wait until it has started or stopped");
        }
        return Controlled(resource, async () =>
        {
            await resource.StopAsync();
            await StartGatedAsync(resource, ct);
        });
    }

    /// <summary>
    /// Stops a running resource on an operator's request: a project replica (SIGTERM), the RabbitMQ node or the
    /// PostgreSQL cluster (its databases with it). It keeps its data and stays stopped — the monitor does not call
    /// it exited and nothing starts it again — until <see cref="StartResourceAsync"/>. Throws at once for an unknown
    /// name (<see cref="ArgumentException"/>) or a resource that is not running (<see cref="ResourceStateException"/>);
    /// the task completes once it has stopped.
    /// </summary>
    public Task StopResourceAsync(string name)
    {
        var resource = Controllable(name);
        if (!resource.MarkIf(IsRunning, ResourceState.Stopping, "stop requested"))
        {
            throw new ResourceStateException($"{name} is {resource.State.ToString().ToLowerInvariant()}, not running: there is nothing to stop");
        }
        return Controlled(resource, async () =>
        {
            await resource.StopAsync();
            resource.Mark(ResourceState.Stopped, "stopped on request");
            foreach (var database in DatabasesOf(resource)) database.Mark(ResourceState.Stopped, $"{resource.Name} stopped");
        });
    }

    /// <summary>
    /// Starts a stopped, exited or failed resource again with the same name, ports and data folder, and waits for
    /// its health (a cluster's databases follow it). Throws at once like <see cref="StopResourceAsync"/>.
    /// </summary>
    public Task StartResourceAsync(string name, CancellationToken ct = default)
    {
        var resource = Controllable(name);
        if (!resource.MarkIf(IsDown, ResourceState.Starting, "start requested"))
        {
            throw new ResourceStateException($"{name} is {resource.State.ToString().ToLowerInvariant()}: only a stopped, exited or failed resource starts");
        }
        return Controlled(resource, async () =>
        {
            await StartGatedAsync(resource, ct);
            foreach (var database in DatabasesOf(resource).Where(d => d.State != ResourceState.Healthy))
            {
                // A database that fails shows it on its own row; the server itself is up.
                try { await Controlled(database, () => StartOneAsync(database, ct)); }
                catch (Exception e) when (e is not OperationCanceledException) { }
            }
        });
    }

    private Resource Find(string name) =>
        resources.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"no resource named '{name}'", nameof(name));

    private Resource Controllable(string name) =>
        Find(name) is DatabaseResource database
            ? throw new ResourceStateException($"{name} is a database of {database.Server.Name}: stop or start the server")
            : Find(name);

    private IEnumerable<DatabaseResource> DatabasesOf(Resource resource) =>
        resources.OfType<DatabaseResource>().Where(d => d.Server == resource);

    private async Task StartGatedAsync(Resource resource, CancellationToken ct)
    {
        await restartGate.WaitAsync(ct);
        try
        {
            await StartOneAsync(resource, ct);
        }
        finally
        {
            restartGate.Release();
        }
    }

    /// <summary>Runs an operator's action; a failure leaves the resource failed with the reason, for the dashboard.</summary>
    private static async Task Controlled(Resource resource, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            resource.Error = e.Message;
            resource.Mark(ResourceState.Failed, e.Message.Split('\n')[0]);
            throw;
        }
    }

    /// <summary>Projects first (in parallel), then databases and servers; every child is gone when this returns.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        if (monitor is not null) await monitor;
        await Task.WhenAll(resources.OfType<ProjectResource>().Select(StopOneAsync));
        await Task.WhenAll(resources.Where(r => r is not ProjectResource).Select(StopOneAsync));
    }

    private static async Task StopOneAsync(Resource r)
    {
        if (r.State is ResourceState.Waiting or ResourceState.Stopped) return;
        try
        {
            await r.StopAsync();
        }
        catch (Exception e)
        {
            r.Log.Append($"stop failed: {e.Message}");
        }
        if (r.State is not ResourceState.Exited and not ResourceState.Failed) r.Mark(ResourceState.Stopped);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
        restartGate.Dispose();
    }
}

/// <summary>An operator's action that the resource's current state does not allow (the dashboard answers 409).</summary>
public sealed class ResourceStateException(string message) : InvalidOperationException(message);
