using System.Diagnostics;
using Xuncha.Launcher;

// The local run: durable servers under .xuncha/, then identity and the gateway, each started once what it needs is
// healthy. Services join this graph as they land.
var root = args.SkipWhile(a => a != "--root").Skip(1).FirstOrDefault() ?? Directory.GetCurrentDirectory();
var data = Path.Combine(root, ".xuncha");
var pgPort = Port("XUNCHA_PG_PORT", 15432);
var amqpPort = Port("XUNCHA_AMQP_PORT", 5673);
var mgmtPort = Port("XUNCHA_RABBITMQ_MGMT_PORT", 15672);
var gatewayPort = Port("XUNCHA_GATEWAY_PORT", 8080);
var identityPort = Port("XUNCHA_IDENTITY_PORT", 8101);
var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
var credentials = Path.Combine(data, "dev-credentials.json");
string[] databases = ["identitydb", "planningdb", "staffingdb", "fieldworkdb", "cluesdb", "auditdb", "rectificationdb"];
string Dll(string project, string name) => Path.Combine(root, project, "bin", "Release", "net10.0", name + ".dll");

var clock = Stopwatch.StartNew();
Console.WriteLine($"Xuncha AppHost — data in {data}");
PostgresServer? postgres = null;
RabbitMqServer? broker = null;
var children = new List<ServiceProcess>();
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });

try
{
    var startPostgres = PostgresServer.StartAsync(Path.Combine(data, "postgres"), pgPort, durable: true);
    var startBroker = RabbitMqServer.StartAsync(Path.Combine(data, "rabbitmq"), amqpPort, mgmtPort);
    try { await Task.WhenAll(startPostgres, startBroker); }
    finally
    {
        postgres = startPostgres.IsCompletedSuccessfully ? startPostgres.Result : null;
        broker = startBroker.IsCompletedSuccessfully ? startBroker.Result : null;
    }
    foreach (var db in databases)
    {
        await postgres!.EnsureDatabaseAsync(db);
    }

    var identityEnv = new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ConnectionStrings__identitydb"] = postgres!.ConnectionString("identitydb"),
        ["Identity__Issuer"] = gatewayUrl,
        ["Identity__DevCredentialsPath"] = credentials,
    };
    await ServiceProcess.MigrateAsync("identity", Dll("services/identity", "Xuncha.Identity"), identityEnv);
    var identity = ServiceProcess.Start("identity", Dll("services/identity", "Xuncha.Identity"), identityPort, identityEnv, Console.WriteLine);
    children.Add(identity);
    await identity.WaitHealthyAsync(TimeSpan.FromSeconds(60));

    var gateway = ServiceProcess.Start("gateway", Dll("gateway/Xuncha.Gateway", "Xuncha.Gateway"), gatewayPort, new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Identity__Url"] = identity.Url,
        ["services__identity__http__0"] = identity.Url,
    }, Console.WriteLine);
    children.Add(gateway);
    await gateway.WaitHealthyAsync(TimeSpan.FromSeconds(60));

    Console.WriteLine($"""

        ── Xuncha Platform is up in {clock.Elapsed.TotalSeconds:0.0} s ──
        gateway        {gatewayUrl}   (discovery: {gatewayUrl}/.well-known/openid-configuration, APIs: {gatewayUrl}/api)
        credentials    {credentials}
        PostgreSQL     127.0.0.1:{pgPort}
        RabbitMQ       {broker!.AmqpUri()}   management UI {broker.ManagementUrl} (guest/guest)
        Ctrl+C stops everything.
        """);
    await Task.WhenAny([stop.Task, .. children.Select(WaitExit)]);
    foreach (var exited in children.Where(c => c.HasExited))
    {
        Console.WriteLine($"{exited.Name} exited; last lines:\n{string.Join('\n', exited.LastLines.TakeLast(20))}");
    }
}
finally
{
    Console.WriteLine("stopping…");
    foreach (var child in Enumerable.Reverse(children))
    {
        await child.StopAsync();
    }
    await Task.WhenAll(
        broker?.StopAsync() ?? Task.CompletedTask,
        postgres?.StopAsync(fast: false) ?? Task.CompletedTask);
    Console.WriteLine("stopped");
}

static int Port(string variable, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(variable), out var p) ? p : fallback;

// Any child exiting on its own ends the wait: nothing restarts silently.
static async Task WaitExit(ServiceProcess child)
{
    while (!child.HasExited) await Task.Delay(500);
}
