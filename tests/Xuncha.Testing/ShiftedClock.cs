namespace Xuncha.Testing;

/// <summary>
/// The real clock moved forward on demand, so a test reaches a deadline, a key rotation or an announced closing date
/// without waiting (Microsoft.Extensions.TimeProvider.Testing is not in the registry here).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
