namespace Xuncha.Launcher.Model;

/// <summary>Aspire's resource states, reduced to what a local run shows.</summary>
public enum ResourceState
{
    Waiting,    // 等待依赖
    Starting,   // 启动中
    Healthy,    // 健康
    Unhealthy,  // 不健康
    Exited,     // 已退出
    Stopping,   // 停止中 (an operator asked)
    Stopped,    // 已停止
    Failed,     // 启动失败
}

/// <summary>One node of the graph: a server, a database, or one replica of a project.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;
    public abstract string Kind { get; }
    public ResourceState State { get; internal set; } = ResourceState.Waiting;
    public string? Url { get; protected set; }
    public DateTimeOffset? StartedAt { get; internal set; }
    /// <summary>When it last became healthy: start-up time per resource is HealthyAt − StartedAt.</summary>
    public DateTimeOffset? HealthyAt { get; internal set; }
    public int? ExitCode { get; internal set; }
    public string? Error { get; internal set; }
    public LogBuffer Log { get; } = new();
    public List<Resource> WaitsFor { get; } = [];
    public abstract int? ProcessId { get; }

    internal Action<Resource, string?>? Changed { get; set; }

    internal abstract Task StartAsync(CancellationToken ct);
    internal abstract Task<bool> IsHealthyAsync(CancellationToken ct);
    internal abstract bool HasExited { get; }
    internal abstract Task StopAsync();

    private readonly Lock transition = new();

    internal void Mark(ResourceState state, string? note = null) => MarkIf(_ => true, state, note);

    /// <summary>
    /// Changes the state only while <paramref name="from"/> holds, atomically: the health monitor's verdict must not
    /// overwrite an operator's stop that happened while it was probing.
    /// </summary>
    internal bool MarkIf(Func<ResourceState, bool> from, ResourceState state, string? note = null)
    {
        lock (transition)
        {
            if (!from(State)) return false;
            if (State == state) return true;
            State = state;
        }
        Log.Append($"── {Name}: {state}{(note is null ? "" : " — " + note)}");
        Changed?.Invoke(this, note);
        return true;
    }
}
