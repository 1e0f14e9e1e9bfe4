using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.ServiceDefaults.Messaging;

/// <summary>A message a consumer has already applied; its key is (message id, consumer).</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }
    public required string Consumer { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}

/// <summary>
/// A consumer whose effect happens at most once per message: the inbox row and the effect (including any events it
/// writes to the outbox) commit in one transaction, and a redelivered message finds the row and does nothing.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TDb>(TDb db) : IConsumer<TMessage>
    where TMessage : class
    where TDb : DbContext
{
    protected TDb Db { get; } = db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("Message has no MessageId; the inbox cannot de-duplicate it.");
        var consumer = GetType().Name;
        // No savepoint around SaveChanges: a failure abandons the whole transaction and the message is retried.
        Db.Database.AutoSavepointsEnabled = false;
        await using var tx = await Db.Database.BeginTransactionAsync(context.CancellationToken);
        // A concurrent duplicate blocks on the key until we commit, then inserts nothing.
        var inserted = await Db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, now()) ON CONFLICT DO NOTHING",
            context.CancellationToken);
        if (inserted == 0)
        {
            return;
        }
        await Handle(context);
        await Db.SaveChangesAsync(context.CancellationToken);
        await tx.CommitAsync(context.CancellationToken);
    }

    /// <summary>Apply the message: change entities on <see cref="Db"/>; do not call SaveChanges.</summary>
    protected abstract Task Handle(ConsumeContext<TMessage> context);
}
