using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Foundation.TestHost.Notes;

public sealed class NotesDb(DbContextOptions<NotesDb> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
    public DbSet<NoteEffect> Effects => Set<NoteEffect>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddPlatformTables();
        model.Entity<Note>(e =>
        {
            e.ToTable("notes");
            e.Property(x => x.Title).HasMaxLength(200);
        });
        model.Entity<NoteEffect>().ToTable("note_effects");
        model.Entity<Delivery>().ToTable("deliveries");
    }
}

public sealed class Note
{
    public Guid Id { get; init; }
    public required string Title { get; init; }
    public int Amount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The consumer's effect: one row per note if the inbox works.</summary>
public sealed class NoteEffect
{
    public long Id { get; init; }
    public Guid NoteId { get; init; }
    public Guid MessageId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset EffectAt { get; init; }
}

/// <summary>Every delivery, without the inbox: shows how many times the broker delivered each message.</summary>
public sealed class Delivery
{
    public long Id { get; init; }
    public Guid MessageId { get; init; }
    public Guid NoteId { get; init; }
}
