using System.Diagnostics;
using System.Text.Json.Serialization;
using Xuncha.Launcher;
using Xuncha.AppHost.Dashboard;
using Xuncha.AppHost.Otlp;
using Xuncha.Launcher.Model;

// The local run in Aspire's model: a resource graph (servers, databases, services, gateway) started in dependency
// order, each service after what it references is healthy, with a dashboard of resources, console output and traces.
var clock = Stopwatch.StartNew();
var options = AppHostOptions.Parse(args);
Console.WriteLine($"Xuncha AppHost — data in {options.Data}");

var platform = PlatformGraph.Build(options, (resource, line) =>
{
    // The console shows failures only; everything else is on the dashboard.
    if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        Console.WriteLine($"[{resource.Name}] {line}");
});
platform.StateChanged += (r, note) =>
{
    if (r.State is ResourceState.Exited or ResourceState.Failed or ResourceState.Unhealthy)
        Console.WriteLine($"!! {r.Name}: {r.State}{(note is null ? "" : " — " + note)}\n   {string.Join("\n   ", r.Log.Last(12))}");
};

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(options.DashboardUrl);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddSingleton(new TraceStore());
builder.Services.AddSingleton(new OtlpReceiver.Counters());
var dashboard = builder.Build();
dashboard.MapOtlpReceiver();
dashboard.MapDashboard(platform);
// The dashboard and OTLP receiver come first, so the services' start-up traces are kept.
await dashboard.StartAsync();

var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

var exitCode = 0;
try
{
    await platform.StartAsync(stop.Token);
    // Where the start-up time went: each resource from its start to healthy, on the clock of this run.
    var t0 = DateTimeOffset.UtcNow - clock.Elapsed;
    foreach (var r in platform.Resources.Where(r => r.Kind != "database").OrderBy(r => r.HealthyAt))
        Console.WriteLine($"  {r.Name,-16} started {(r.StartedAt - t0)!.Value.TotalSeconds,5:0.0} s  healthy {(r.HealthyAt - t0)!.Value.TotalSeconds,5:0.0} s");
    Console.WriteLine($"""

        ── 巡察平台已就绪 Xuncha Platform is up: all {platform.Resources.Count} resources healthy in {clock.Elapsed.TotalSeconds:0.0} s ──
        gateway        {options.GatewayUrl}   (APIs: {options.GatewayUrl}/api, discovery: {options.GatewayUrl}/.well-known/openid-configuration)
        dashboard      {options.DashboardUrl}
        RabbitMQ UI    {platform["eventbus"].Url} (guest/guest)
        PostgreSQL     {platform["postgres"].Url}
        credentials    {options.Credentials}
        Ctrl+C stops everything.
        """);
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}
catch (Exception e)
{
    Console.Error.WriteLine(e.Message);
    exitCode = 1;
}
finally
{
    Console.WriteLine("stopping…");
    await platform.StopAsync();
    await dashboard.StopAsync();
    Console.WriteLine("stopped");
}
return exitCode;
