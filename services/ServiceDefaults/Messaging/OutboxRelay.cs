using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xuncha.ServiceDefaults.Telemetry;

namespace Xuncha.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows. Batches are claimed with FOR UPDATE SKIP LOCKED, so any number of replicas can
/// run a relay and each row is published by exactly one of them; a row is marked sent only after the broker confirmed
/// it, and a failed row is retried with back-off for ever — nothing is dropped.
/// </summary>
public sealed class OutboxRelay<TDb>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IConfiguration configuration,
    ILogger<OutboxRelay<TDb>> logger) : BackgroundService where TDb : DbContext
{
    private static readonly ConcurrentDictionary<string, Type?> Types = new();
    private static readonly Counter<long> Published = PlatformActivity.Meter.CreateCounter<long>("xuncha.outbox.published");
    private static readonly Counter<long> Failed = PlatformActivity.Meter.CreateCounter<long>("xuncha.outbox.publish_failures");

    private readonly int batchSize = configuration.GetValue("Outbox:BatchSize", 100);
    private readonly TimeSpan pollInterval = TimeSpan.FromMilliseconds(configuration.GetValue("Outbox:PollMilliseconds", 1000));
    private readonly TimeSpan publishTimeout = TimeSpan.FromSeconds(configuration.GetValue("Outbox:PublishTimeoutSeconds", 10));
    private readonly TimeSpan retention = TimeSpan.FromHours(configuration.GetValue("Outbox:RetentionHours", 72));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        var errorDelay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await RelayBatchAsync(stoppingToken);
                errorDelay = TimeSpan.Zero;
                if (DateTimeOffset.UtcNow - lastCleanup > TimeSpan.FromMinutes(10))
                {
                    await DeleteOldSentAsync(stoppingToken);
                    lastCleanup = DateTimeOffset.UtcNow;
                }
                if (claimed < batchSize)
                {
                    await signal.WaitAsync(pollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Database unreachable and the like: keep trying, a little slower each time.
                errorDelay = TimeSpan.FromMilliseconds(Math.Min(Math.Max(errorDelay.TotalMilliseconds * 2, 200), 10_000));
                logger.LogWarning(e, "Outbox relay pass failed; retrying in {Delay}", errorDelay);
                await Task.Delay(errorDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Claims one batch, publishes it and records the outcome in the same transaction. Returns rows claimed.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var rows = await db.Set<OutboxMessage>()
            .FromSql($"""
                SELECT * FROM outbox_messages
                WHERE sent_at IS NULL AND next_attempt_at <= now()
                ORDER BY sequence
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        await Task.WhenAll(rows.Select(row => PublishAsync(row, cancellationToken)));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private async Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        // Continue the trace of the request that wrote the row: MassTransit's send span becomes our child.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = PlatformActivity.Source.StartActivity("outbox relay", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        try
        {
            var type = Types.GetOrAdd(row.MessageType, Type.GetType)
                ?? throw new InvalidOperationException($"Unknown message type '{row.MessageType}'");
            var message = JsonSerializer.Deserialize(row.Payload, type, OutboxMessage.Json)
                ?? throw new InvalidOperationException("Empty payload");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(publishTimeout);
            await bus.Publish(message, type, ctx => ctx.MessageId = row.MessageId, timeout.Token);
            row.SentAt = DateTimeOffset.UtcNow;
            row.LastError = null;
            Published.Add(1);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            row.Attempts++;
            row.NextAttemptAt = DateTimeOffset.UtcNow + Backoff(row.Attempts);
            row.LastError = e.GetType().Name + ": " + e.Message[..Math.Min(e.Message.Length, 1500)];
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Failed.Add(1);
            logger.LogWarning("Outbox message {MessageId} not published (attempt {Attempts}): {Error}", row.MessageId, row.Attempts, row.LastError);
        }
    }

    internal static TimeSpan Backoff(int attempts) => TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, Math.Min(attempts - 1, 10)), 30_000));

    private async Task DeleteOldSentAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var cutoff = DateTimeOffset.UtcNow - retention;
        await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
