namespace Xuncha.Launcher.Model;

/// <summary>Resident memory (VmRSS) of a process and everything it started — the broker and PostgreSQL are trees.</summary>
public static class ProcessMemory
{
    public static long? Resident(int? pid) => Snapshot().Resident(pid);

    /// <summary>Every process below <paramref name="pid"/>, from /proc's parent links.</summary>
    public static IReadOnlyList<int> Descendants(int pid) => Snapshot().Descendants(pid);

    /// <summary>One pass over /proc's parent links, for answering about many resources at once (the dashboard's poll).</summary>
    public static ProcessTable Snapshot()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var p)) continue;
            try
            {
                // stat: "pid (comm) state ppid …" — comm may contain spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[p] = int.Parse(fields[1]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return new ProcessTable(parents.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList()));
    }
}

/// <summary>The process tree as one /proc pass saw it.</summary>
public sealed class ProcessTable(Dictionary<int, List<int>> children)
{
    public IReadOnlyList<int> Descendants(int pid)
    {
        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                result.Add(child);
                frontier.Enqueue(child);
            }
        }
        return result;
    }

    public long? Resident(int? pid)
    {
        if (pid is null || !Directory.Exists($"/proc/{pid}")) return null;
        return Descendants(pid.Value).Prepend(pid.Value).Sum(p => Rss(p) ?? 0);
    }

    private static long? Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.TryParse(line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb * 1024 : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
