using Xuncha.AppHost.Otlp;
using Xuncha.Launcher.Model;

namespace Xuncha.AppHost.Dashboard;

/// <summary>The dashboard's JSON for the page, scripts and operators, and the page itself.</summary>
public static class DashboardEndpoints
{
    // A custom header cannot be sent cross-site without a CORS preflight we never grant: a page elsewhere cannot
    // make the operator's browser restart things.
    private const string ActionHeader = "X-Xuncha-Dashboard";

    public sealed record ResourceView(
        string Name, string Kind, string State, string? Url, int? Pid, DateTimeOffset? StartedAt, DateTimeOffset? HealthyAt, double? UptimeSeconds,
        int? ExitCode, long? MemoryBytes, string? Error, IReadOnlyList<string> WaitsFor);

    public static void MapDashboard(this WebApplication app, Platform platform)
    {
        app.MapGet("/", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        // One /proc pass per request, however many resources (the page polls every few seconds).
        app.MapGet("/api/resources", () =>
        {
            var processes = ProcessMemory.Snapshot();
            return platform.Resources.Select(r => View(r, processes)).ToList();
        });
        app.MapGet("/api/resources/{name}", (string name) =>
            platform.Resources.FirstOrDefault(r => r.Name == name) is { } r ? Results.Ok(View(r, ProcessMemory.Snapshot())) : NotFound(name));
        app.MapGet("/api/resources/{name}/logs", (string name, long? after) =>
            platform.Resources.FirstOrDefault(r => r.Name == name) is { } r ? Results.Ok(r.Log.Since(after ?? 0)) : NotFound(name));
        // Aspire's resource commands. Each answers 202 at once (the state shows the progress: stopping → stopped,
        // starting → healthy); an unknown name is 404 and an action the current state does not allow is 409.
        app.MapPost("/api/resources/{name}/restart", (string name, HttpRequest request, ILogger<Platform> log) =>
            Act(name, request, log, "restart", () => platform.RestartAsync(name)));
        app.MapPost("/api/resources/{name}/stop", (string name, HttpRequest request, ILogger<Platform> log) =>
            Act(name, request, log, "stop", () => platform.StopResourceAsync(name)));
        app.MapPost("/api/resources/{name}/start", (string name, HttpRequest request, ILogger<Platform> log) =>
            Act(name, request, log, "start", () => platform.StartResourceAsync(name)));
        app.MapGet("/api/traces", (TraceStore store, int? limit, string? service) => store.Recent(Math.Clamp(limit ?? 100, 1, 1000), service));
        app.MapGet("/api/traces/{traceId}", (string traceId, TraceStore store) =>
            store.Trace(traceId) is { } spans
                ? Results.Ok(spans)
                : Results.Problem(statusCode: 404, title: "trace not found", detail: $"No spans of trace {traceId} are kept."));
        app.MapGet("/api/telemetry", (TraceStore store, OtlpReceiver.Counters c) => new
        {
            spans = store.SpanCount, traceBatches = c.TraceBatches, logBatches = c.LogBatches, metricBatches = c.MetricBatches, rejected = c.Rejected,
            startup = platform.AllHealthyAt is { } at ? new { allHealthyAt = at } : null,
        });
    }

    private static ResourceView View(Resource r, ProcessTable processes) => new(
        r.Name, r.Kind, r.State.ToString().ToLowerInvariant(), r.Url, r.ProcessId, r.StartedAt, r.HealthyAt,
        r.StartedAt is { } s && r.State is ResourceState.Healthy or ResourceState.Unhealthy ? Math.Round((DateTimeOffset.UtcNow - s).TotalSeconds) : null,
        r.ExitCode, processes.Resident(r.ProcessId), r.Error, [.. r.WaitsFor.Select(w => w.Name)]);

    private static IResult Act(string name, HttpRequest request, ILogger log, string action, Func<Task> begin)
    {
        if (!request.Headers.ContainsKey(ActionHeader))
        {
            return Results.Problem(statusCode: 403, title: "missing " + ActionHeader, detail: "Actions need the dashboard's header.");
        }
        Task work;
        try
        {
            // The state check and the first transition happen before this returns; the rest runs on.
            work = begin();
        }
        catch (ResourceStateException e)
        {
            return Results.Problem(statusCode: 409, title: action switch
            {
                "restart" => "此时不能重启 / cannot restart now",
                "stop" => "此时不能停止 / cannot stop now",
                _ => "此时不能启动 / cannot start now",
            }, detail: e.Message);
        }
        catch (ArgumentException)
        {
            return NotFound(name);
        }
        _ = work.ContinueWith(t => log.LogError("{Action} of {Name} failed: {Message}", action, name, t.Exception!.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Results.Accepted($"/api/resources/{name}");
    }

    private static IResult NotFound(string name) =>
        Results.Problem(statusCode: 404, title: "no such resource", detail: $"No resource is named '{name}'.");
}
