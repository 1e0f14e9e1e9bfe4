using System.Text;
using Xuncha.AuditLinkage.Datasets;

namespace Xuncha.AuditLinkage.Rules;

/// <summary>
/// One query of a compiled rule: <paramref name="Sql"/>, with its positional parameters ($1…), selects the hits. A hit's
/// summary is its <paramref name="Summary"/> parts joined, its amount the column at <paramref name="AmountOrdinal"/>
/// (none when negative), and its evidence either the rows of the <paramref name="Evidence"/> sources, stored as
/// references to their lines (see HitEvidence), or (when that list is empty) the JSON text the query aggregated
/// itself, in the column after the amount.
/// </summary>
public sealed record CompiledStatement(string Sql, IReadOnlyList<object> Parameters, IReadOnlyList<EvidenceSource> Evidence,
    IReadOnlyList<SummaryPart> Summary, int AmountOrdinal);

/// <summary>A piece of a hit's summary: text as the rule has it, or else a selected column's value written as text.</summary>
public sealed record SummaryPart(string? Text, int Ordinal = -1, ColumnType Type = ColumnType.Text);

/// <summary>One evidence row of a hit: the dataset it comes from and its shown columns (the line first).</summary>
public sealed record EvidenceSource(string Dataset, IReadOnlyList<EvidenceColumn> Columns);

public sealed record EvidenceColumn(string Name, ColumnType Type, int Ordinal = -1);

/// <summary>Date columns whose working-day distance a rule measures: the run builds the calendar over their range.</summary>
public sealed record CalendarSpan(DatasetKind Kind, string From, string To);

public sealed record CompiledRule(IReadOnlyList<CompiledStatement> Statements, IReadOnlyList<CalendarSpan> CalendarSpans);

/// <summary>
/// Checks a <see cref="RuleDefinition"/> against the dataset catalogue and compiles it to set-based SELECTs of hits with
/// their evidence rows. Identifiers come only from the catalogue (never from the
/// definition's text), values are parameters: a definition cannot inject SQL.
/// </summary>
public static class RuleCompiler
{
    private static readonly Dictionary<string, string> Comparisons = new()
    {
        ["eq"] = "=", ["ne"] = "<>", ["gt"] = ">", ["gte"] = ">=", ["lt"] = "<", ["lte"] = "<=",
    };

    public const string CalendarTable = "run_calendar";


    /// <summary>Every problem with the definition, keyed by its path ("anyOf[0].on[0].right"); empty when it compiles.</summary>
    public static Dictionary<string, string[]> Validate(RuleDefinition d)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string path, string message) => errors[path] = [.. errors.GetValueOrDefault(path, []), message];

        var primary = DatasetCatalog.Find(d.Dataset);
        if (primary is null) { Add("dataset", $"Unknown dataset '{d.Dataset}'."); return errors; }
        if (string.IsNullOrWhiteSpace(d.Summary) || d.Summary.Length > 500) Add("summary", "A summary template of 1–500 characters is required.");
        if (d.AnyOf.Count > 0 && d.DuplicateOn.Count > 0) Add("duplicateOn", "A rule either collides datasets (anyOf) or finds duplicates, not both.");
        if (d.AnyOf.Count > 5) Add("anyOf", "At most 5 collisions.");
        if (d.Where.Count > 10) Add("where", "At most 10 conditions.");
        if (d.AmountColumn is not null && primary.Column(d.AmountColumn)?.Type != ColumnType.Money)
            Add("amountColumn", $"'{d.AmountColumn}' is not a money column of {primary.Code}.");
        for (var i = 0; i < d.DuplicateOn.Count; i++)
            if (primary.Column(d.DuplicateOn[i]) is null) Add($"duplicateOn[{i}]", $"'{d.DuplicateOn[i]}' is not a column of {primary.Code}.");
        for (var i = 0; i < d.Where.Count; i++) CheckCondition(d.Where[i], primary, null, $"where[{i}]", Add);
        CheckTemplate(d.Summary, primary, d.AnyOf.Count == 1 ? DatasetCatalog.Find(d.AnyOf[0].Dataset) : null, d.AnyOf.Count > 1, "summary", Add);
        for (var c = 0; c < d.AnyOf.Count; c++)
        {
            var collision = d.AnyOf[c];
            var other = DatasetCatalog.Find(collision.Dataset);
            if (other is null) { Add($"anyOf[{c}].dataset", $"Unknown dataset '{collision.Dataset}'."); continue; }
            if (collision.On.Count is 0 or > 3) Add($"anyOf[{c}].on", "One to three join keys are required.");
            for (var k = 0; k < collision.On.Count; k++)
            {
                var left = primary.Column(collision.On[k].Left);
                var right = other.Column(collision.On[k].Right);
                if (left is null) Add($"anyOf[{c}].on[{k}].left", $"'{collision.On[k].Left}' is not a column of {primary.Code}.");
                if (right is null) Add($"anyOf[{c}].on[{k}].right", $"'{collision.On[k].Right}' is not a column of {other.Code}.");
                if (left is not null && right is not null && left.Type != right.Type)
                    Add($"anyOf[{c}].on[{k}]", $"{left.Name} ({left.Type}) and {right.Name} ({right.Type}) cannot be matched.");
            }
            for (var i = 0; i < collision.Where.Count; i++) CheckCondition(collision.Where[i], primary, other, $"anyOf[{c}].where[{i}]", Add);
            if (collision.Summary is not null) CheckTemplate(collision.Summary, primary, other, false, $"anyOf[{c}].summary", Add);
        }
        return errors;
    }

    private static void CheckCondition(RuleCondition condition, DatasetKind a, DatasetKind? b, string path, Action<string, string> add)
    {
        var column = Resolve(condition.Column, a, b);
        if (column is null) { add($"{path}.column", $"'{condition.Column}' is not a column here (a.<column> or b.<column>)."); return; }
        switch (condition.Op)
        {
            case "blank" or "notBlank":
                return;
            case "workingDaysOver":
                var to = condition.OtherColumn is null ? null : Resolve(condition.OtherColumn, a, b);
                if (column.Value.Column.Type != ColumnType.Date || to?.Column.Type != ColumnType.Date || to.Value.Alias != column.Value.Alias)
                    add(path, "workingDaysOver compares two date columns of the same dataset.");
                if (condition.Value is not { } days || days < 0 || days > 3650 || decimal.Truncate(days) != days)
                    add($"{path}.value", "A whole number of working days between 0 and 3650 is required.");
                return;
            case var op when Comparisons.ContainsKey(op):
                if (condition.OtherColumn is not null)
                {
                    var other = Resolve(condition.OtherColumn, a, b);
                    if (other is null) add($"{path}.otherColumn", $"'{condition.OtherColumn}' is not a column here.");
                    else if (other.Value.Column.Type != column.Value.Column.Type) add(path, "Only columns of the same type can be compared.");
                    else if (column.Value.Column.Type == ColumnType.IdNumber && op is not ("eq" or "ne")) add(path, "Identity numbers can only be tested for equality.");
                }
                else if (condition.Value is null || column.Value.Column.Type != ColumnType.Money)
                {
                    add($"{path}.value", "A threshold value compares with a money column; other columns compare with otherColumn.");
                }
                return;
            default:
                add($"{path}.op", $"Unknown op '{condition.Op}' (eq, ne, gt, gte, lt, lte, blank, notBlank, workingDaysOver).");
                return;
        }
    }

    private static void CheckTemplate(string template, DatasetKind a, DatasetKind? b, bool bAmbiguous, string path, Action<string, string> add)
    {
        foreach (var (isColumn, text) in Tokens(template))
        {
            if (!isColumn || text == "count") continue;
            if (text.StartsWith("b.", StringComparison.Ordinal) && bAmbiguous) { add(path, "With several collisions, b.* belongs in each collision's own summary."); continue; }
            if (Resolve(text, a, b) is null) add(path, $"'{{{text}}}' is not a column here.");
        }
    }

    private static (string Alias, DatasetColumn Column)? Resolve(string reference, DatasetKind a, DatasetKind? b)
    {
        var parts = reference.Split('.');
        if (parts.Length != 2) return null;
        var kind = parts[0] switch { "a" => a, "b" => b, _ => null };
        var column = kind?.Column(parts[1]);
        return column is null ? null : (parts[0], column);
    }

    private static IEnumerable<(bool IsColumn, string Text)> Tokens(string template)
    {
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (open < 0 || close < 0) { yield return (false, template[i..]); yield break; }
            if (open > i) yield return (false, template[i..open]);
            yield return (true, template[(open + 1)..close]);
            i = close + 1;
        }
    }

    /// <summary>Compiles a validated definition against the frozen dataset versions of a run.</summary>
    public static CompiledRule Compile(RuleDefinition d, IReadOnlyDictionary<string, Guid> versions)
    {
        var a = DatasetCatalog.Find(d.Dataset)!;
        var spans = new List<CalendarSpan>();
        if (d.AnyOf.Count == 0)
        {
            return new([Statement(d, a, null, null, versions, spans)], spans);
        }
        var statements = d.AnyOf.Select(c => Statement(d, a, c, DatasetCatalog.Find(c.Dataset)!, versions, spans)).ToList();
        return new(statements, spans);
    }

    private static CompiledStatement Statement(RuleDefinition d, DatasetKind a, RuleCollision? collision, DatasetKind? b,
        IReadOnlyDictionary<string, Guid> versions, List<CalendarSpan> spans)
    {
        var p = new List<object>();
        string P(object value) { p.Add(value); return "$" + p.Count; }
        var grouped = d.DuplicateOn.Count > 0;
        string Ref(string reference, bool forDisplay)
        {
            var (alias, column) = Resolve(reference, a, b)!.Value;
            var name = column.Type == ColumnType.IdNumber ? (forDisplay ? column.MaskedColumn : column.HashColumn) : column.Name;
            return $"{alias}.{name}";
        }
        // The evidence rows are stored as references to their lines (HitEvidence): building their JSON, in SQL or in the
        // service, cost more per hit than the join itself. For the rule's own dataset (a, the one scanned in full) every
        // stored column is selected, in the table's order and ahead of anything else: a partition read through its
        // parent is scanned without projecting each row only when the scan's output is the whole row as stored, and
        // that projection cost a fifth of the join. Its hashes and version are selected for that alone. The collided
        // dataset (b) is the one hashed, so it gives only what the evidence shows: wider hash entries cost more.
        // The summary is written from the same columns as the hits arrive: concat() in the query cost a tenth of the join.
        var staged = new List<string>();
        var sources = new List<EvidenceSource>();
        var ordinals = new Dictionary<string, int>();
        void Stage(string alias, DatasetKind kind, bool wholeRow)
        {
            var shown = EvidenceColumns(kind).ToList();
            var selected = wholeRow ? kind.StoredColumns.ToList() : [.. shown.Select(c => c.Name)];
            var first = staged.Count;
            foreach (var (column, i) in selected.Select((c, i) => (c, i))) ordinals[$"{alias}.{column}"] = first + i;
            staged.AddRange(selected.Select(c => $"{alias}.{c} AS {alias}_{c}"));
            sources.Add(new EvidenceSource(kind.Code, [.. shown.Select(c => c with { Ordinal = first + selected.IndexOf(c.Name) })]));
        }

        var joins = new StringBuilder();
        var where = new List<string> { $"a.version_id = {P(versions[a.Code])}" };
        var calendarJoins = 0;
        string Condition(RuleCondition c)
        {
            var left = Ref(c.Column, false);
            switch (c.Op)
            {
                case "blank": return Resolve(c.Column, a, b)!.Value.Column.Type == ColumnType.Text ? $"coalesce({left}, '') = ''" : $"{left} IS NULL";
                case "notBlank": return Resolve(c.Column, a, b)!.Value.Column.Type == ColumnType.Text ? $"coalesce({left}, '') <> ''" : $"{left} IS NOT NULL";
                case "workingDaysOver":
                    var n = ++calendarJoins;
                    var kind = c.Column.StartsWith("a.", StringComparison.Ordinal) ? a : b!;
                    spans.Add(new CalendarSpan(kind, Resolve(c.Column, a, b)!.Value.Column.Name, Resolve(c.OtherColumn!, a, b)!.Value.Column.Name));
                    joins.Append($" JOIN {CalendarTable} f{n} ON f{n}.day = {left} JOIN {CalendarTable} t{n} ON t{n}.day = {Ref(c.OtherColumn!, false)}");
                    return $"t{n}.idx - f{n}.idx > {P((int)c.Value!.Value)}";
                default:
                    var right = c.OtherColumn is null ? P(c.Value!.Value) : Ref(c.OtherColumn, false);
                    return $"{left} {Comparisons[c.Op]} {right}";
            }
        }
        where.AddRange(d.Where.Select(Condition));

        if (!grouped) Stage("a", a, wholeRow: true);
        if (collision is not null && b is not null)
        {
            var on = string.Join(" AND ", collision.On.Select(k => $"{Ref("a." + k.Left, false)} = {Ref("b." + k.Right, false)}"));
            joins.Insert(0, $" JOIN {b.Table} b ON b.version_id = {P(versions[b.Code])} AND {on}");
            where.AddRange(collision.Where.Select(Condition));
            Stage("b", b, wholeRow: false);
        }

        var template = collision?.Summary ?? d.Summary;
        if (!grouped)
        {
            var parts = Tokens(template).Select(t =>
            {
                if (!t.IsColumn) return new SummaryPart(t.Text);
                if (t.Text == "count") return new SummaryPart("1");
                var (alias, column) = Resolve(t.Text, a, b)!.Value;
                return column.Type == ColumnType.IdNumber
                    ? new SummaryPart(null, ordinals[$"{alias}.{column.MaskedColumn}"])
                    : new SummaryPart(null, ordinals[$"{alias}.{column.Name}"], column.Type);
            }).ToList();
            return new CompiledStatement($"SELECT {string.Join(", ", staged)} FROM {a.Table} a{joins} WHERE {string.Join(" AND ", where)}",
                p, sources, parts, d.AmountColumn is null ? -1 : ordinals[$"a.{d.AmountColumn}"]);
        }

        // A duplicate group's evidence is every row of the group, so it is aggregated (as text) in the SELECT itself, and
        // so are its summary and amount.
        var summary = "concat(" + string.Join(", ", Tokens(template).Select(t =>
            !t.IsColumn ? P(t.Text) + "::text" : t.Text == "count" ? "count(*)::text" : $"min({Ref(t.Text, true)}::text)")) + ")";
        var amount = d.AmountColumn is null ? "NULL::numeric" : $"sum(a.{d.AmountColumn}) - min(a.{d.AmountColumn})";
        return new CompiledStatement(
            $"SELECT {summary} AS summary, {amount} AS amount, concat('[', string_agg(concat({EvidenceJson(a)}), ',' ORDER BY a.line), ']') AS evidence " +
            $"FROM {a.Table} a{joins} WHERE {string.Join(" AND ", where)} GROUP BY {string.Join(", ", d.DuplicateOn.Select(c => Ref("a." + c, false)))} HAVING count(*) > 1",
            p, [], [new SummaryPart(null, 0)], 1);
    }

    private static readonly System.Text.RegularExpressions.Regex PlainName = new("^[a-z][a-z0-9_-]*$");

    /// <summary>
    /// An evidence row's columns as imported: its line and every column, identity numbers masked, never the hashes. The
    /// line is typed Money only to be written as a JSON number, as money is.
    /// </summary>
    internal static IEnumerable<EvidenceColumn> EvidenceColumns(DatasetKind kind) =>
        [new("line", ColumnType.Money), .. kind.Columns.Select(c => c.Type == ColumnType.IdNumber ? new EvidenceColumn(c.MaskedColumn, ColumnType.Text) : new(c.Name, c.Type))];

    /// <summary>
    /// The concat() arguments that write one evidence row of alias a as JSON text — {"dataset":…,"line":…,"row":{…}} —
    /// for a duplicate group's string_agg. Values go through to_json (quoting, escapes, ISO dates); the keys are
    /// catalogue names, checked to need no escaping, never text from a definition.
    /// </summary>
    private static string EvidenceJson(DatasetKind kind)
    {
        if (!PlainName.IsMatch(kind.Code)) throw new InvalidOperationException($"Dataset code '{kind.Code}' needs escaping.");
        var parts = new List<string> { $"'{{\"dataset\":\"{kind.Code}\",\"line\":'", "a.line", "',\"row\":{'" };
        var first = true;
        foreach (var column in EvidenceColumns(kind))
        {
            if (!PlainName.IsMatch(column.Name)) throw new InvalidOperationException($"Column '{column.Name}' needs escaping.");
            parts.Add($"'{(first ? "" : ",")}\"{column.Name}\":'");
            parts.Add(column.Type == ColumnType.Money ? $"coalesce(a.{column.Name}::text, 'null')" : $"coalesce(to_json(a.{column.Name})::text, 'null')");
            first = false;
        }
        parts.Add("'}}'");
        return string.Join(", ", parts);
    }
}
