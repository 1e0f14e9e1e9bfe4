using System.Diagnostics;
using Xuncha.Launcher;

// The local run: the platform's servers with durable data under .xuncha/. Services join this graph as they land.
var root = args.SkipWhile(a => a != "--root").Skip(1).FirstOrDefault() ?? Directory.GetCurrentDirectory();
var data = Path.Combine(root, ".xuncha");
var pgPort = int.Parse(Environment.GetEnvironmentVariable("XUNCHA_PG_PORT") ?? "15432");
var amqpPort = int.Parse(Environment.GetEnvironmentVariable("XUNCHA_AMQP_PORT") ?? "5673");
var mgmtPort = int.Parse(Environment.GetEnvironmentVariable("XUNCHA_RABBITMQ_MGMT_PORT") ?? "15672");
string[] databases = ["identitydb", "planningdb", "staffingdb", "fieldworkdb", "cluesdb", "auditdb", "rectificationdb"];

var clock = Stopwatch.StartNew();
Console.WriteLine($"Xuncha AppHost — data in {data}");
var startPostgres = PostgresServer.StartAsync(Path.Combine(data, "postgres"), pgPort, durable: true);
var startBroker = RabbitMqServer.StartAsync(Path.Combine(data, "rabbitmq"), amqpPort, mgmtPort);
try
{
    await Task.WhenAll(startPostgres, startBroker);
}
catch
{
    // Leave nothing running behind a failed start.
    if (startPostgres.IsCompletedSuccessfully) await startPostgres.Result.StopAsync(fast: false);
    if (startBroker.IsCompletedSuccessfully) await startBroker.Result.StopAsync();
    throw;
}
var postgres = startPostgres.Result;
var broker = startBroker.Result;
foreach (var db in databases)
{
    await postgres.EnsureDatabaseAsync(db);
}

Console.WriteLine($"""
    PostgreSQL    127.0.0.1:{pgPort} (databases: {string.Join(", ", databases)})
    RabbitMQ      {broker.AmqpUri()}
    RabbitMQ UI   {broker.ManagementUrl} (guest/guest)
    ready in {clock.Elapsed.TotalSeconds:0.0} s — Ctrl+C to stop
    """);

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
await stop.Task;

Console.WriteLine("stopping…");
await Task.WhenAll(broker.StopAsync(), postgres.StopAsync(fast: false));
Console.WriteLine("stopped");
