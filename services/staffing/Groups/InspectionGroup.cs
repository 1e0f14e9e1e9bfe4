using System.ComponentModel;
using Xuncha.Staffing.Formation;

namespace Xuncha.Staffing.Groups;

/// <summary>巡察组: proposed for one target or cluster of a round, adjusted by the office, then confirmed.</summary>
public sealed class InspectionGroup
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public int RoundNumber { get; init; }
    public required string Jurisdiction { get; init; }
    public List<string> JurisdictionPath { get; init; } = [];
    public required string Name { get; set; }
    /// <summary>The cluster's anchor target.</summary>
    public Guid ClusterKey { get; init; }
    public List<Guid> TargetIds { get; init; } = [];
    public List<string> TargetCodes { get; init; } = [];
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
    public GroupStatus Status { get; set; }
    /// <summary>0 while a draft; 1 when confirmed (GroupFormed), +1 with every later change (GroupChanged).</summary>
    public int Revision { get; set; }
    public List<GroupSeat> Members { get; set; } = [];
    public GroupExplanation Explanation { get; set; } = new();
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

public enum GroupStatus
{
    [Description("建议方案")] Draft,
    [Description("已组建")] Confirmed,
}

/// <summary>One member's place in a group: role, post (for the responsibility card) and who mentors them.</summary>
public sealed record GroupSeat
{
    public Guid CadreId { get; init; }
    public string Name { get; init; } = "";
    /// <summary>leader | deputy-leader | member (the contract's words).</summary>
    public string Role { get; init; } = GroupRoles.Member;
    /// <summary>The post template the member's responsibility card is drawn from.</summary>
    public string Post { get; init; } = "";
    public IReadOnlyList<string> Specialties { get; init; } = [];
    public string? AccountSubject { get; init; }
    public bool Local { get; init; }
    public bool Newcomer { get; init; }
    /// <summary>以干代训: the experienced member a newcomer works beside.</summary>
    public Guid? MentorId { get; init; }
    /// <summary>Why this member holds this seat (the proposal's reasoning, or the office's adjustment).</summary>
    public string Why { get; init; } = "";
}

public static class GroupRoles
{
    public const string Leader = "leader";
    public const string Deputy = "deputy-leader";
    public const string Member = "member";

    public static readonly IReadOnlyList<string> All = [Leader, Deputy, Member];

    public static string NameOf(string role) => role switch
    {
        Leader => "组长",
        Deputy => "副组长",
        _ => "组员",
    };
}
