namespace Xuncha.Launcher.Model;

/// <summary>
/// Runs the graph: every resource starts once everything it waits for is healthy (independent ones in parallel),
/// then a monitor keeps each state current. A child that dies is shown as exited with its code; nothing restarts
/// unless someone asks.
/// </summary>
public sealed class Platform(IReadOnlyList<Resource> resources) : IAsyncDisposable
{
    private readonly Dictionary<Resource, TaskCompletionSource> healthy = resources.ToDictionary(r => r, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    private readonly CancellationTokenSource stopping = new();
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
                foreach (var r in resources.Where(r => r.State is ResourceState.Healthy or ResourceState.Unhealthy))
                {
                    if (r.HasExited && r is not DatabaseResource)
                    {
                        r.ExitCode = (r as ProjectResource)?.LastExitCode;
                        r.Mark(ResourceState.Exited, r.ExitCode is { } code ? $"exit code {code}" : "process gone");
                        continue;
                    }
                    // One slow probe on a busy machine is not a sick service: two failures in a row are.
                    if (await r.IsHealthyAsync(ct))
                    {
                        failures.Remove(r);
                        r.Mark(ResourceState.Healthy);
                    }
                    else if ((failures[r] = failures.GetValueOrDefault(r) + 1) >= 2)
                    {
                        r.Mark(ResourceState.Unhealthy);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops (if running) and starts one project replica again, waiting for its health.</summary>
    public async Task RestartAsync(string name, CancellationToken ct = default)
    {
        var resource = resources.FirstOrDefault(r => r.Name == name) as ProjectResource
            ?? throw new ArgumentException($"no project named '{name}'", nameof(name));
        await restartGate.WaitAsync(ct);
        try
        {
            resource.Mark(ResourceState.Stopped, "restart requested");
            await resource.StopAsync();
            await StartOneAsync(resource, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            resource.Error = e.Message;
            resource.Mark(ResourceState.Failed, e.Message.Split('\n')[0]);
            throw;
        }
        finally
        {
            restartGate.Release();
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
