using System.Net;
using System.Net.Sockets;
using Xuncha.Launcher;

namespace Xuncha.Foundation.Tests;

/// <summary>A server that cannot start must fail loudly, with its own log, never leave a test silently skipped.</summary>
public sealed class ServerStartFailureTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "xuncha-fail-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task PostgreSQL_on_a_taken_port_fails_with_its_log()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresServer.StartAsync(Path.Combine(dir, "pg"), port, durable: false));

        Assert.Contains($"port {port}", error.Message);
        Assert.Contains("server.log", error.Message);
        Assert.Contains("could not", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RabbitMQ_on_a_taken_port_fails_with_its_log()
    {
        var port = RabbitMqServer.FreeAmqpPort();
        using var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqServer.StartAsync(Path.Combine(dir, "mq"), port, null));

        Assert.Contains($"port {port}", error.Message);
        Assert.Contains("eaddrinuse", error.Message);
    }
}
