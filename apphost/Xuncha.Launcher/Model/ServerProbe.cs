using System.Net.Sockets;

namespace Xuncha.Launcher.Model;

/// <summary>
/// The periodic liveness check of a server: its port accepts connections. Cheap on purpose — rabbitmq-diagnostics
/// boots a whole Erlang VM, too much to run every few seconds on two cores; it is used once, at start.
/// </summary>
internal static class ServerProbe
{
    public static async Task<bool> AcceptsAsync(int port, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
