using System.Collections.Concurrent;
using System.Diagnostics;

namespace Xuncha.Launcher;

/// <summary>
/// One service as a child process (<c>dotnet &lt;dll&gt;</c>) on a loopback port, configured only through environment
/// variables with Aspire's names. Its console output is kept (last lines) and echoed with a prefix.
/// </summary>
public sealed class ServiceProcess
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> tail = new();

    private ServiceProcess(string name, string url, Process process)
    {
        Name = name;
        Url = url;
        this.process = process;
    }

    public string Name { get; }
    public string Url { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;
    public int? ExitCode => process.HasExited ? process.ExitCode : null;
    public IEnumerable<string> LastLines => tail;

    /// <summary>Runs the service's one-shot migration (<c>--migrate</c>) and fails with its output if it fails.</summary>
    public static async Task<string> MigrateAsync(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var (code, output) = await Shell.RunAsync("dotnet", [dll, "--migrate"], environment.ToDictionary(), TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"{name}: migration failed ({code})\n{output}");
        }
        return output;
    }

    public static ServiceProcess Start(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, Action<string>? echo = null, bool prefix = true)
    {
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment.TryAdd("OTEL_SERVICE_NAME", name);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {name}");
        var service = new ServiceProcess(name, url, process);
        void Line(string? line)
        {
            if (line is null) return;
            service.tail.Enqueue(line);
            while (service.tail.Count > 200) service.tail.TryDequeue(out _);
            echo?.Invoke(prefix ? $"[{name}] {line}" : line);
        }
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits for /health to answer 200; a process that exits meanwhile fails with its last lines.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode}:\n{string.Join('\n', tail.TakeLast(30))}");
            }
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} not healthy within {timeout.TotalSeconds:0} s:\n{string.Join('\n', tail.TakeLast(30))}");
    }

    /// <summary>SIGTERM for a graceful stop, then SIGKILL if it lingers.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (process.HasExited) return;
        Posix.Terminate(process.Id);
        using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
