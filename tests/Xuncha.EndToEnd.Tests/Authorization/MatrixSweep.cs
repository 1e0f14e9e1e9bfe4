using System.Collections.Concurrent;
using System.Text;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>Sends every cell's probe (operation × principal) and renders what came back in the matrix's own shape.</summary>
public static class MatrixSweep
{
    public static async Task<List<ProbeResult>> RunAsync(IReadOnlyList<ApiOperation> operations, Func<string, Task<HttpClient>> connect, int concurrency)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var clients = new Dictionary<string, HttpClient>();
        foreach (var principal in Principals.All)
        {
            clients[principal] = await connect(principal);
        }
        try
        {
            var cells = from op in operations from principal in Principals.All select (op, principal);
            var results = new ConcurrentBag<ProbeResult>();
            await Parallel.ForEachAsync(cells, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = timeout.Token },
                async (cell, ct) => results.Add(await Probe.SendAsync(clients[cell.principal], cell.principal, cell.op, ct)));
            return [.. results];
        }
        finally
        {
            foreach (var http in clients.Values) http.Dispose();
        }
    }

    /// <summary>What the platform answered, in the file's own shape: diff it against the reviewed table.</summary>
    public static string Observed(IReadOnlyList<ApiOperation> operations, List<ProbeResult> results)
    {
        var byCell = results.ToDictionary(r => (r.Key, r.Principal));
        var text = new StringBuilder();
        foreach (var api in operations.GroupBy(o => o.Api))
        {
            text.AppendLine().AppendLine($"### {api.Key}").AppendLine()
                .AppendLine($"| operation | {string.Join(" | ", Principals.All)} |")
                .AppendLine($"|---|{string.Concat(Principals.All.Select(_ => "---|"))}");
            foreach (var op in api.OrderBy(o => o.GatewayTemplate, StringComparer.Ordinal).ThenBy(o => o.Method))
            {
                text.AppendLine($"| `{op.Key}` | {string.Join(" | ", Principals.All.Select(p => byCell[(op.Key, p)].Decision))} |");
            }
        }
        text.AppendLine().AppendLine("### statuses").AppendLine();
        foreach (var r in results.OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => Array.IndexOf(Principals.All, r.Principal)))
        {
            text.AppendLine($"- `{r.Key}` × {r.Principal}: {(int)r.Status} {r.Body.ReplaceLineEndings(" ")}");
        }
        return text.ToString();
    }

    /// <summary>Everything that disagrees with the table: the file's own errors, rows missing or stale, and every differing cell (a 5xx too).</summary>
    public static (List<string> Failures, int Mismatches, int Breaches) Compare(MatrixTable table, IReadOnlyList<ApiOperation> operations, List<ProbeResult> results)
    {
        var keys = operations.Select(o => o.Key).ToHashSet();
        var failures = new List<string>(table.Errors);
        failures.AddRange(keys.Where(k => !table.Rows.ContainsKey(k)).Order().Select(k => $"{k}: the catalog has this operation, the table has no row"));
        failures.AddRange(table.Rows.Keys.Where(k => !keys.Contains(k)).Order().Select(k => $"{k}: a row for an operation the catalog does not have"));
        var compared = results.Where(r => table.Rows.TryGetValue(r.Key, out var row) && row.ContainsKey(r.Principal)).ToList();
        var mismatches = compared
            .Where(r => r.Decision != table.Rows[r.Key][r.Principal] || (int)r.Status >= 500)
            .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => Array.IndexOf(Principals.All, r.Principal))
            .ToList();
        failures.AddRange(mismatches.Select(r => $"{r.Key} × {r.Principal}: expected {table.Rows[r.Key][r.Principal]}, got {(int)r.Status} ({r.Decision}) {r.Body}"));
        var breaches = mismatches.Count(r => r.Decision is Decision.Allow or Decision.Public && table.Rows[r.Key][r.Principal] is Decision.Deny or Decision.Unauthenticated);
        return (failures, mismatches.Count, breaches);
    }
}
