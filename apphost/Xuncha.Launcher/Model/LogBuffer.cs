namespace Xuncha.Launcher.Model;

/// <summary>A resource's console output: the last lines, each numbered so a viewer can ask for what is new.</summary>
public sealed class LogBuffer(int capacity = 2000)
{
    private readonly Queue<LogLine> lines = new();
    private long next;

    public void Append(string text)
    {
        lock (lines)
        {
            lines.Enqueue(new LogLine(++next, DateTimeOffset.UtcNow, text));
            while (lines.Count > capacity) lines.Dequeue();
        }
    }

    public IReadOnlyList<LogLine> Since(long after, int max = 1000)
    {
        lock (lines)
        {
            return [.. lines.Where(l => l.Seq > after).TakeLast(max)];
        }
    }

    public IReadOnlyList<string> Last(int count)
    {
        lock (lines)
        {
            return [.. lines.TakeLast(count).Select(l => l.Text)];
        }
    }
}

public sealed record LogLine(long Seq, DateTimeOffset At, string Text);
