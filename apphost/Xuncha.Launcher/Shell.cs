using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Xuncha.Launcher;

/// <summary>Runs the server binaries the way the recipes do (PostgreSQL refuses to run as root, so it runs as "postgres").</summary>
public static class Shell
{
    public static bool IsRoot => Environment.UserName == "root";

    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }
        return (p.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Runs a command line as the postgres user when we are root, as ourselves otherwise.</summary>
    public static Task<(int Code, string Output)> RunAsPostgresAsync(string commandLine, TimeSpan? timeout = null) =>
        IsRoot
            ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", commandLine], timeout: timeout)
            : RunAsync("/bin/sh", ["-c", commandLine], timeout: timeout);

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static bool PortFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static string Tail(string path, int lines = 40) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : $"({path} does not exist)";
}
