namespace Xuncha.Clues.Access;

/// <summary>Read model of staffing's groups: who leads which group of which round, for which targets (GroupFormed/GroupChanged).</summary>
public sealed class InspectionGroup
{
    public Guid GroupId { get; init; }
    public Guid RoundId { get; set; }
    public required string Jurisdiction { get; set; }
    public required List<Guid> TargetIds { get; set; }
    /// <summary>Account subjects ("sub") of the members whose role is leader (组长).</summary>
    public required List<string> LeaderSubjects { get; set; }
    public int Version { get; set; }
}
