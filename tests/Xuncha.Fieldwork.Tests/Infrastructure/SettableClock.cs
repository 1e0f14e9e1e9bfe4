namespace Xuncha.Fieldwork.Tests.Infrastructure;

/// <summary>The real clock, moved forward on demand (announcement closing dates, due dates).</summary>
public sealed class SettableClock : TimeProvider
{
    private long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}
