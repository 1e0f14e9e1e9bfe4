using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Xuncha.Launcher;

/// <summary>
/// A private RabbitMQ node on 127.0.0.1 with its own HOME, node name, ports, mnesia and log folders.
/// AMQP ports stay below 22767: the Erlang distribution port is AMQP + 10000 and must not fall in the ephemeral range.
/// </summary>
public sealed class RabbitMqServer
{
    private const string Sbin = "/usr/lib/rabbitmq/bin";
    private Process? process;

    private RabbitMqServer(string baseDir, int port, int? managementPort)
    {
        BaseDir = baseDir;
        Port = port;
        ManagementPort = managementPort;
    }

    public string BaseDir { get; }
    public int Port { get; }
    public int? ManagementPort { get; }
    public string NodeName => $"rmq{Port}@localhost";
    public string LogFile => Path.Combine(BaseDir, "log", "stdout.log");
    public int? ProcessId => process?.Id;

    public string AmqpUri(string virtualHost = "/") =>
        $"amqp://guest:guest@127.0.0.1:{Port}/{Uri.EscapeDataString(virtualHost)}";

    public string? ManagementUrl => ManagementPort is { } m ? $"http://127.0.0.1:{m}/" : null;

    /// <summary>A free AMQP port in 20000–22700 whose distribution port (+10000) is free too.</summary>
    public static int FreeAmqpPort()
    {
        for (var i = 0; i < 200; i++)
        {
            var port = Random.Shared.Next(20000, 22700);
            if (Shell.PortFree(port) && Shell.PortFree(port + 10000))
            {
                return port;
            }
        }
        throw new InvalidOperationException("no free AMQP port in 20000-22700");
    }

    public static async Task<RabbitMqServer> StartAsync(string baseDir, int port, int? managementPort)
    {
        if (!File.Exists(Path.Combine(Sbin, "rabbitmq-server")))
        {
            throw new InvalidOperationException("RabbitMQ is not installed (no /usr/lib/rabbitmq/bin/rabbitmq-server); run scripts/prereqs.sh");
        }
        if (port > 22767 || managementPort == port + 10000)
        {
            throw new ArgumentException($"AMQP port {port}: its distribution port {port + 10000} must stay below 32768 and differ from the management port");
        }
        var server = new RabbitMqServer(Path.GetFullPath(baseDir), port, managementPort);
        await server.StartAsync();
        return server;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["HOME"] = Path.Combine(BaseDir, "home"),
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = Port.ToString(),
        ["RABBITMQ_DIST_PORT"] = (Port + 10000).ToString(),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(BaseDir, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(BaseDir, "log"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(BaseDir, "rabbit.pid"),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(BaseDir, "rabbitmq"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(BaseDir, "enabled_plugins"),
    };

    private async Task StartAsync()
    {
        foreach (var d in new[] { "mnesia", "log", "home" })
        {
            Directory.CreateDirectory(Path.Combine(BaseDir, d));
        }
        var config = new StringBuilder("loopback_users = none\n");
        if (ManagementPort is { } m)
        {
            config.Append($"management.tcp.port = {m}\nmanagement.tcp.ip = 127.0.0.1\n");
        }
        await File.WriteAllTextAsync(Path.Combine(BaseDir, "rabbitmq.conf"), config.ToString());
        await File.WriteAllTextAsync(Path.Combine(BaseDir, "enabled_plugins"), ManagementPort is null ? "[].\n" : "[rabbitmq_management].\n");

        // exec keeps the pid ours while the node's console output goes to its own log file.
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"exec {Path.Combine(Sbin, "rabbitmq-server")} >> {Shell.Quote(LogFile)} 2>&1"])
        {
            UseShellExecute = false,
            WorkingDirectory = BaseDir,
        };
        foreach (var (k, v) in Environment()) psi.Environment[k] = v;
        // Output goes to the node's own log folder; the process is ours to stop.
        psi.Environment["RABBITMQ_LOGS"] = Path.Combine(BaseDir, "log", "rabbit.log");
        process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start rabbitmq-server");

        try
        {
            // A slow machine (every CPU busy) boots Erlang slowly: a check that times out only means "not yet".
            var deadline = DateTime.UtcNow.AddSeconds(180);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"RabbitMQ exited with {process.ExitCode} while starting on port {Port}\n--- log ---\n{LogTail()}");
                }
                try
                {
                    var (code, _) = await CtlAsync(["await_startup", "--timeout", "60"], TimeSpan.FromSeconds(70));
                    if (code == 0)
                    {
                        return;
                    }
                }
                catch (TimeoutException)
                {
                }
                await Task.Delay(500);
            }
            throw new InvalidOperationException($"RabbitMQ did not become ready on port {Port} within 180 s\n--- log ---\n{LogTail()}");
        }
        catch
        {
            // A node that failed to start must not outlive the attempt: nobody else holds its pid.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public string LogTail() =>
        Directory.Exists(Path.Combine(BaseDir, "log"))
            ? string.Join("\n", Directory.GetFiles(Path.Combine(BaseDir, "log"), "*.log").Select(f => $"[{Path.GetFileName(f)}]\n{Shell.Tail(f, 25)}"))
            : "(no log folder)";

    public Task<(int Code, string Output)> CtlAsync(IEnumerable<string> args, TimeSpan? timeout = null) =>
        Shell.RunAsync(Path.Combine(Sbin, "rabbitmqctl"), ["-q", "-n", NodeName, .. args], Environment(), timeout ?? TimeSpan.FromSeconds(60));

    public async Task<bool> IsReadyAsync()
    {
        var (code, _) = await Shell.RunAsync(Path.Combine(Sbin, "rabbitmq-diagnostics"), ["-q", "-n", NodeName, "check_port_connectivity"], Environment(), TimeSpan.FromSeconds(30));
        return code == 0;
    }

    /// <summary>Stops the broker application but keeps the Erlang node: clients see the broker gone.</summary>
    public async Task StopAppAsync()
    {
        var (code, output) = await CtlAsync(["stop_app"]);
        if (code != 0) throw new InvalidOperationException("rabbitmqctl stop_app failed: " + output);
    }

    public async Task StartAppAsync()
    {
        var (code, output) = await CtlAsync(["start_app"]);
        if (code != 0) throw new InvalidOperationException("rabbitmqctl start_app failed: " + output);
    }

    /// <summary>A virtual host of our own (through the management API), so tests never see each other's messages.</summary>
    public async Task<string> CreateVirtualHostAsync(string name)
    {
        if (ManagementPort is null)
        {
            var (code, output) = await CtlAsync(["add_vhost", name]);
            if (code != 0) throw new InvalidOperationException(output);
            (code, output) = await CtlAsync(["set_permissions", "-p", name, "guest", ".*", ".*", ".*"]);
            if (code != 0) throw new InvalidOperationException(output);
            return AmqpUri(name);
        }
        using var http = new HttpClient { BaseAddress = new Uri(ManagementUrl!) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        var vhost = Uri.EscapeDataString(name);
        (await http.PutAsync($"api/vhosts/{vhost}", JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{vhost}/guest", JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" }))).EnsureSuccessStatusCode();
        return AmqpUri(name);
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false } p)
        {
            // SIGTERM lets the node shut down cleanly; rabbitmqctl stop would boot another Erlang VM to say the same.
            Posix.Terminate(p.Id);
            if (!p.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                p.Kill(entireProcessTree: true);
            }
            await p.WaitForExitAsync();
        }
        else
        {
            await CtlAsync(["stop"]);
        }
    }
}
