using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Xuncha.ServiceDefaults.Messaging;

/// <summary>Counts the messages parked in this service's "_error" queues (exhausted retries), for operators and alerts.</summary>
public sealed class ErrorQueues(string amqpUri, string serviceName)
{
    private readonly ConcurrentDictionary<string, byte> queues = new();

    /// <summary>Filled while MassTransit configures the receive endpoints.</summary>
    internal void Track(string queue) => queues.TryAdd(queue, 0);

    public async Task<IReadOnlyList<ErrorQueueCount>> CountAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri), ClientProvidedName = serviceName + "-error-queues" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        var result = new List<ErrorQueueCount>();
        foreach (var queue in queues.Keys.Order())
        {
            var name = queue + "_error";
            // A failed passive declare closes its channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                var ok = await channel.QueueDeclarePassiveAsync(name, cancellationToken);
                result.Add(new ErrorQueueCount(name, ok.MessageCount));
            }
            catch (OperationInterruptedException)
            {
                // The error queue is created on the first failure: none yet means nothing failed.
                result.Add(new ErrorQueueCount(name, 0));
            }
        }
        return result;
    }
}

public sealed record ErrorQueueCount(string Queue, uint Messages);
