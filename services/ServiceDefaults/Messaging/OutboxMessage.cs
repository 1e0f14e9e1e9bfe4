using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.ServiceDefaults.Messaging;

/// <summary>An event waiting to be published, written in the same transaction as the change that caused it.</summary>
public sealed class OutboxMessage
{
    public long Sequence { get; private set; }
    public Guid MessageId { get; init; }
    public required string MessageType { get; init; }
    public required string Payload { get; init; }
    public string? TraceParent { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxMessage For<T>(T message) where T : class
    {
        var type = message.GetType();
        var now = DateTimeOffset.UtcNow;
        return new OutboxMessage
        {
            // The id travels as MassTransit's MessageId: the consumer's inbox keys on it, so a re-publish is harmless.
            MessageId = NewId.NextGuid(),
            MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
            Payload = JsonSerializer.Serialize(message, type, Json),
            TraceParent = Activity.Current?.Id,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}

public static class OutboxExtensions
{
    /// <summary>
    /// Queue an event for publication. It is saved by the next SaveChanges, in the same transaction as the
    /// business change, and published by the relay only after that commit.
    /// </summary>
    public static OutboxMessage AddEvent<T>(this DbContext db, T message) where T : class
    {
        var row = OutboxMessage.For(message);
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}
