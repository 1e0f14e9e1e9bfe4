namespace Xuncha.Foundation.TestHost.Notes;

/// <summary>Test-only event (real events live in contracts/).</summary>
public sealed record NoteRecorded
{
    public Guid NoteId { get; init; }
    public string Title { get; init; } = "";
    /// <summary>When the producer started (just before commit, or before a raw publish): the latency benchmark's zero.</summary>
    public DateTimeOffset StartedAt { get; init; }
}

public sealed record PoisonPill
{
    public Guid Id { get; init; }
}
