namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>
/// docs/authorization-matrix.md read as data: every table row whose first cell is a backticked operation key
/// (<c>`POST /api/clues/clues/{id}/status`</c>) gives one decision per principal column of that table's header.
/// </summary>
public sealed class MatrixTable
{
    public const string RelativePath = "docs/authorization-matrix.md";

    /// <summary>A row's first cell: <c>`METHOD /api/…`</c>; other tables of the file (legend, principals) are prose.</summary>
    private static readonly System.Text.RegularExpressions.Regex OperationKey = new("^`(GET|POST|PUT|DELETE|PATCH) /api/[^`]+`$");

    private readonly Dictionary<string, Dictionary<string, string>> rows = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Dictionary<string, string>> Rows => rows;

    /// <summary>Problems with the file itself (unknown column, bad cell, duplicate row); the test reports them first.</summary>
    public List<string> Errors { get; } = [];

    public static MatrixTable Load() => Parse(File.ReadAllText(Path.Combine(AppHostRun.RepoRoot, RelativePath)));

    public static MatrixTable Parse(string markdown)
    {
        var table = new MatrixTable();
        string[]? columns = null;
        foreach (var (raw, number) in markdown.Split('\n').Select((l, i) => (l.Trim(), i + 1)))
        {
            if (!raw.StartsWith('|'))
            {
                columns = null;
                continue;
            }
            var cells = raw.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (OperationKey.IsMatch(cells[0]))
            {
                if (columns is null)
                {
                    table.Errors.Add($"line {number}: an operation row outside a matrix table");
                    continue;
                }
                table.AddRow(number, cells[0].Trim('`'), columns, cells);
            }
            else if (columns is null && cells.Skip(1).Any(c => Principals.All.Contains(c)))
            {
                columns = cells;
                foreach (var unknown in cells.Skip(1).Where(c => !Principals.All.Contains(c)))
                {
                    table.Errors.Add($"line {number}: unknown principal column '{unknown}'");
                }
                foreach (var missing in Principals.All.Where(p => !cells.Contains(p)))
                {
                    table.Errors.Add($"line {number}: the table has no column for '{missing}'");
                }
            }
        }
        return table;
    }

    private void AddRow(int number, string key, string[] columns, string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            Errors.Add($"line {number}: {key} has {cells.Length} cells for {columns.Length} columns");
            return;
        }
        if (!rows.TryAdd(key, []))
        {
            Errors.Add($"line {number}: {key} appears twice");
            return;
        }
        for (var i = 1; i < cells.Length; i++)
        {
            if (!Decision.All.Contains(cells[i]))
            {
                Errors.Add($"line {number}: {key} × {columns[i]}: '{cells[i]}' is not one of {string.Join(", ", Decision.All)}");
            }
            rows[key][columns[i]] = cells[i];
        }
    }
}
