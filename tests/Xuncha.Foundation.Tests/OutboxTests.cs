using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.Foundation.TestHost.Notes;
using Xuncha.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

[Collection(Servers.Name)]
public sealed class OutboxTests(PlatformServers servers) : IAsyncLifetime
{
    private TestHostInstance host = null!;

    public async Task InitializeAsync() => host = await TestHostInstance.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<Guid> PostNote(string title)
    {
        var response = await host.Client.PostAsJsonAsync("/notes", new { title, amount = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Note>())!.Id;
    }

    private Task<int> EffectsFor(Guid noteId) => host.WithDb(db => db.Effects.CountAsync(e => e.NoteId == noteId));

    [Fact]
    public async Task Business_row_and_event_commit_together_and_the_event_is_delivered()
    {
        var id = await PostNote("账目核查");

        await Eventually.Until(() => EffectsFor(id), n => n == 1, TimeSpan.FromSeconds(20), "the consumer's effect");
        var outbox = await host.WithDb(db => db.Set<OutboxMessage>().SingleAsync());
        Assert.NotNull(outbox.SentAt);
        Assert.Contains(id.ToString(), outbox.Payload);
        Assert.Equal(1, await host.WithDb(db => db.Notes.CountAsync(n => n.Id == id)));
    }

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        var rolledBack = Guid.NewGuid();
        await host.WithDb(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Id = rolledBack, Title = "回滚", CreatedAt = DateTimeOffset.UtcNow });
            db.AddEvent(new NoteRecorded { NoteId = rolledBack, Title = "回滚" });
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
            return 0;
        });

        // A later event being delivered shows the relay has run past where the rolled-back one would have been.
        var marker = await PostNote("marker");
        await Eventually.Until(() => EffectsFor(marker), n => n == 1, TimeSpan.FromSeconds(20), "the marker's effect");
        await Task.Delay(500);

        Assert.Equal(0, await EffectsFor(rolledBack));
        Assert.Equal(0, await host.WithDb(db => db.Deliveries.CountAsync(d => d.NoteId == rolledBack)));
        Assert.Equal(0, await host.WithDb(db => db.Notes.CountAsync(n => n.Id == rolledBack)));
        Assert.Equal(1, await host.WithDb(db => db.Set<OutboxMessage>().CountAsync()));
    }

    [Fact]
    public async Task With_the_broker_stopped_commands_succeed_and_every_event_arrives_after_it_returns()
    {
        const int count = 500;
        var broker = servers.OwnBroker;
        await broker.StopAppAsync();
        var ids = new List<Guid>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                ids.Add(await PostNote($"断线期间 {i}"));
            }
            Assert.Equal(count, await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null)));
        }
        finally
        {
            await broker.StartAppAsync();
        }

        await Eventually.Until(host.EffectCount, n => n >= count, TimeSpan.FromSeconds(120), $"{count} effects after the broker returned");
        var effects = await host.WithDb(db => db.Effects.Select(e => e.NoteId).ToListAsync());
        Assert.Equal(count, effects.Count);
        Assert.Equal(ids.Order(), effects.Order());
        Assert.Equal(0, await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null)));
    }

    [Fact]
    public async Task Two_relays_on_one_outbox_publish_each_event_exactly_once()
    {
        const int count = 1000;
        // A second replica of the service: same database, same broker, its own relay and consumers.
        await using var replica = await TestHostInstance.StartAsync(servers, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "20" }, host.Database, host.EventBus);

        var ids = new List<Guid>();
        for (var batch = 0; batch < count / 100; batch++)
        {
            var target = batch % 2 == 0 ? host : replica;
            await target.WithDb(async db =>
            {
                for (var i = 0; i < 100; i++)
                {
                    var id = Guid.NewGuid();
                    ids.Add(id);
                    db.Notes.Add(new Note { Id = id, Title = $"n{batch}-{i}", CreatedAt = DateTimeOffset.UtcNow });
                    db.AddEvent(new NoteRecorded { NoteId = id, Title = "x" });
                }
                return await db.SaveChangesAsync();
            });
        }

        await Eventually.Until(() => host.WithDb(db => db.Deliveries.CountAsync()), n => n >= count, TimeSpan.FromSeconds(60), $"{count} deliveries");
        await Eventually.Until(() => host.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null)), n => n == 0, TimeSpan.FromSeconds(30), "an empty outbox");
        await Task.Delay(1000); // room for a duplicate to show up, if there were one

        var deliveries = await host.WithDb(db => db.Deliveries.Select(d => d.NoteId).ToListAsync());
        Assert.Equal(count, deliveries.Count);
        Assert.Equal(ids.Order(), deliveries.Order());
        Assert.Equal(count, await host.EffectCount());
    }

    [Fact]
    public async Task A_message_delivered_twice_has_one_effect()
    {
        var bus = host.Factory.Services.GetRequiredService<IBus>();
        var noteId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        var message = new NoteRecorded { NoteId = noteId, Title = "重复投递" };

        await bus.Publish(message, ctx => ctx.MessageId = messageId);
        await bus.Publish(message, ctx => ctx.MessageId = messageId);

        await Eventually.Until(() => host.WithDb(db => db.Deliveries.CountAsync(d => d.NoteId == noteId)), n => n == 2, TimeSpan.FromSeconds(20), "both deliveries");
        await Task.Delay(300);
        Assert.Equal(1, await EffectsFor(noteId));
        Assert.Equal(1, await host.WithDb(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)));
    }
}
