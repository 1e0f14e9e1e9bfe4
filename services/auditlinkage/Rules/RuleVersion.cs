namespace Xuncha.AuditLinkage.Rules;

/// <summary>One immutable version of a library rule. Editing a rule adds a version; runs name the version they used.</summary>
public sealed class RuleVersion
{
    public required string Code { get; init; }
    public int Version { get; init; }
    public required string Name { get; init; }
    public required RuleDefinition Definition { get; init; }
    public bool Enabled { get; init; } = true;
    public string? Reason { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
