using System.ComponentModel;
using System.Text.Json.Serialization;
using Xuncha.Clues.Registry;

namespace Xuncha.Clues.Assessment;

/// <summary>会商研判会: the office and the commission assess clues together and decide each one's disposal.</summary>
public sealed class AssessmentMeeting
{
    public Guid Id { get; init; }
    public required string Jurisdiction { get; init; }
    public DateOnly HeldOn { get; init; }
    public required string Title { get; init; }
    /// <summary>"姓名（单位 职务）" as the minutes list them.</summary>
    public required List<string> Participants { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public List<AssessmentDecision> Decisions { get; init; } = [];
}

public sealed class AssessmentDecision
{
    public long Id { get; init; }
    public Guid MeetingId { get; init; }
    public Guid ClueId { get; init; }
    public Disposition Disposition { get; init; }
    public Destination? Destination { get; init; }
    public string? ReceivingOffice { get; init; }
    public string? Reason { get; init; }
    public Guid? LetterId { get; set; }
}

public enum Disposition
{
    [JsonStringEnumMemberName("transfer"), Description("移交")] Transfer,
    [JsonStringEnumMemberName("return-as-problem"), Description("作为普通问题反馈整改")] ReturnAsProblem,
    [JsonStringEnumMemberName("hold"), Description("暂存待查")] Hold,
}
