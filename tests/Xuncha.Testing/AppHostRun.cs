using Xunit;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xuncha.Launcher;
using Xuncha.Launcher.Model;

namespace Xuncha.Testing;

/// <summary>
/// The real apphost as a user runs it (<c>dotnet Xuncha.AppHost.dll</c>, built in Release by ./test.sh), on free
/// ports with a throwaway data folder, so a developer's running platform is never touched.
/// </summary>
public sealed class AppHostRun : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];

    private AppHostRun(Process process, string data, int dashboardPort, int gatewayPort)
    {
        this.process = process;
        Data = data;
        Dashboard = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboardPort}"), Timeout = TimeSpan.FromSeconds(10) };
        Gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public string Data { get; }
    public HttpClient Dashboard { get; }
    public HttpClient Gateway { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;
    public string Output { get { lock (output) return string.Join('\n', output); } }

    public static string RepoRoot
    {
        get
        {
            // Another checkout may be named explicitly (e.g. one with fewer services built).
            if (Environment.GetEnvironmentVariable("XUNCHA_REPO_ROOT") is { Length: > 0 } root) return root;
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "Xuncha.Platform.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repo root not found");
            return dir;
        }
    }

    public static Task<AppHostRun> StartAsync(params string[] extraArgs) => StartAsync(new Dictionary<string, string>(), extraArgs);

    /// <summary>Starts the apphost with extra environment variables, which every child it starts inherits.</summary>
    public static async Task<AppHostRun> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        var root = RepoRoot;
        var dll = Path.Combine(root, "apphost/Xuncha.AppHost/bin/Release/net10.0/Xuncha.AppHost.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution in Release (./test.sh does)");
        var data = Path.Combine(Path.GetTempPath(), "xuncha-apphost-" + Guid.NewGuid().ToString("N")[..8]);
        var (dashboard, gateway) = (Shell.FreePort(), Shell.FreePort());
        var psi = new ProcessStartInfo("dotnet", [dll, "--root", root, "--data", data, .. extraArgs])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var amqp = RabbitMqServer.FreeAmqpPort();
        psi.Environment["XUNCHA_PG_PORT"] = Shell.FreePort().ToString();
        psi.Environment["XUNCHA_AMQP_PORT"] = amqp.ToString();
        psi.Environment["XUNCHA_RABBITMQ_MGMT_PORT"] = FreePortNot(amqp + 10000).ToString();
        psi.Environment["XUNCHA_GATEWAY_PORT"] = gateway.ToString();
        psi.Environment["XUNCHA_DASHBOARD_PORT"] = dashboard.ToString();
        psi.Environment["XUNCHA_SERVICE_PORT"] = FreeRange(12).ToString();
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        var run = new AppHostRun(Process.Start(psi)!, data, dashboard, gateway);
        run.process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (run.output) run.output.Add(e.Data); };
        run.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (run.output) run.output.Add(e.Data); };
        run.process.BeginOutputReadLine();
        run.process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for the "is up" line: every resource healthy. Fails with the apphost's output otherwise.</summary>
    public async Task WaitUpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains("Xuncha Platform is up"))
        {
            Assert.False(process.HasExited, $"the apphost exited ({(process.HasExited ? process.ExitCode : 0)}):\n{Output}");
            Assert.True(DateTime.UtcNow < deadline, $"the apphost was not up within {timeout.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(250);
        }
    }

    public async Task<JsonElement[]> ResourcesAsync() =>
        (await Dashboard.GetFromJsonAsync<JsonElement[]>("/api/resources"))!;

    public async Task<JsonElement> ResourceAsync(string name) =>
        (await ResourcesAsync()).Single(r => r.GetProperty("name").GetString() == name);

    /// <summary>SIGTERM, as Ctrl+C or a service manager would send, then waits for a clean exit.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            Posix.Terminate(process.Id);
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
        }
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try { await StopAsync(TimeSpan.FromSeconds(60)); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
        Dashboard.Dispose();
        Gateway.Dispose();
        try { Directory.Delete(Data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static IReadOnlyList<int> Tree(int pid) => [pid, .. ProcessMemory.Descendants(pid)];

    private static int FreePortNot(int taken)
    {
        int p;
        do p = Shell.FreePort(); while (p == taken);
        return p;
    }

    /// <summary>A run of consecutive free ports for the services (replicas beyond the first take any free port).</summary>
    private static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(23000, 32000);
            if (Enumerable.Range(start, count).All(Shell.PortFree)) return start;
        }
        throw new InvalidOperationException("no free port range");
    }
}
