namespace Xuncha.Contracts.Planning;

/// <summary>A round reached its end state (closed); nothing more is accepted for it.</summary>
public sealed record RoundClosed
{
    public Guid RoundId { get; init; }
    public Guid TermId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public DateTimeOffset ClosedAt { get; init; }
}
