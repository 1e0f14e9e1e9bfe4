namespace Xuncha.AuditLinkage.Rules;

/// <summary>
/// A comparison rule as data: which dataset it scans (alias <c>a</c>), the conditions on it, the datasets it collides
/// with (alias <c>b</c>, joined on keys; a row hits when it collides with any of them) or the columns that make two
/// rows the same payment, the amount at stake and a Chinese summary template (<c>{a.column}</c>, <c>{b.column}</c>,
/// <c>{count}</c>). Compiled to one set-based SQL statement per collision; column names are checked against the
/// dataset catalogue, thresholds are bound as parameters.
/// </summary>
public sealed record RuleDefinition
{
    public string Dataset { get; init; } = "";
    public IReadOnlyList<RuleCondition> Where { get; init; } = [];
    public IReadOnlyList<RuleCollision> AnyOf { get; init; } = [];
    /// <summary>Rows of <see cref="Dataset"/> equal on all these columns are one duplicate group (a hit when ≥ 2 rows).</summary>
    public IReadOnlyList<string> DuplicateOn { get; init; } = [];
    /// <summary>A money column of the scanned dataset: the hit's amount (for duplicates: what was paid beyond the first).</summary>
    public string? AmountColumn { get; init; }
    public string Summary { get; init; } = "";
}

public sealed record RuleCollision
{
    public string Dataset { get; init; } = "";
    public IReadOnlyList<JoinKey> On { get; init; } = [];
    public IReadOnlyList<RuleCondition> Where { get; init; } = [];
    /// <summary>Overrides the rule's summary for hits of this collision.</summary>
    public string? Summary { get; init; }
}

/// <summary>a.<paramref name="Left"/> = b.<paramref name="Right"/> (identity numbers are matched by their keyed hashes).</summary>
public sealed record JoinKey(string Left, string Right);

/// <summary>
/// <c>Column Op (OtherColumn | Value)</c>. Ops: eq, ne, gt, gte, lt, lte; blank, notBlank; workingDaysOver (working days
/// from Column to OtherColumn, by the shared working calendar, exceed Value). Columns are "a.name" or "b.name".
/// </summary>
public sealed record RuleCondition
{
    public string Column { get; init; } = "";
    public string Op { get; init; } = "";
    public string? OtherColumn { get; init; }
    public decimal? Value { get; init; }
}
