using MassTransit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Foundation.TestHost.Notes;

public sealed class NoteRecordedConsumer(NotesDb db) : IdempotentConsumer<NoteRecorded, NotesDb>(db)
{
    protected override Task Handle(ConsumeContext<NoteRecorded> context)
    {
        Db.Effects.Add(new NoteEffect
        {
            NoteId = context.Message.NoteId,
            MessageId = context.MessageId!.Value,
            StartedAt = context.Message.StartedAt,
            EffectAt = DateTimeOffset.UtcNow,
        });
        return Task.CompletedTask;
    }
}

public sealed class DeliveryLogConsumer(NotesDb db) : IConsumer<NoteRecorded>
{
    public async Task Consume(ConsumeContext<NoteRecorded> context)
    {
        db.Deliveries.Add(new Delivery { MessageId = context.MessageId!.Value, NoteId = context.Message.NoteId });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class PoisonPillConsumer : IConsumer<PoisonPill>
{
    public Task Consume(ConsumeContext<PoisonPill> context) =>
        throw new InvalidOperationException($"poison pill {context.Message.Id} can never be processed");
}
