namespace Xuncha.Launcher.Model;

/// <summary>Resident memory (VmRSS) of a process and everything it started — the broker and PostgreSQL are trees.</summary>
public static class ProcessMemory
{
    public static long? Resident(int? pid)
    {
        if (pid is null || !Directory.Exists($"/proc/{pid}")) return null;
        var tree = Descendants(pid.Value).Prepend(pid.Value);
        return tree.Sum(p => Rss(p) ?? 0);
    }

    /// <summary>Every process below <paramref name="pid"/>, from /proc's parent links.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
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
        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (child, parent) in parents)
            {
                if (parent != current) continue;
                result.Add(child);
                frontier.Enqueue(child);
            }
        }
        return result;
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
