using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Planning.Rounds;

/// <summary>
/// The only moves a round may make, and who makes each: the office plans and runs the round, the leading group
/// approves the plan or sends it back (退回修改).
/// </summary>
public static class RoundLifecycle
{
    public sealed record Step(RoundStatus From, RoundStatus To, string Role);

    public static readonly IReadOnlyList<Step> Steps =
    [
        new(RoundStatus.Draft, RoundStatus.Submitted, PlatformRoles.OfficeCoordinator),
        new(RoundStatus.Submitted, RoundStatus.Approved, PlatformRoles.LeadingGroup),
        new(RoundStatus.Submitted, RoundStatus.Draft, PlatformRoles.LeadingGroup),
        new(RoundStatus.Approved, RoundStatus.Launched, PlatformRoles.OfficeCoordinator),
        new(RoundStatus.Launched, RoundStatus.Fieldwork, PlatformRoles.OfficeCoordinator),
        new(RoundStatus.Fieldwork, RoundStatus.Reporting, PlatformRoles.OfficeCoordinator),
        new(RoundStatus.Reporting, RoundStatus.Feedback, PlatformRoles.OfficeCoordinator),
        new(RoundStatus.Feedback, RoundStatus.Rectification, PlatformRoles.OfficeCoordinator),
        new(RoundStatus.Rectification, RoundStatus.Closed, PlatformRoles.OfficeCoordinator),
    ];

    public static Step? Find(RoundStatus from, RoundStatus to) => Steps.FirstOrDefault(s => s.From == from && s.To == to);

    public static IEnumerable<RoundStatus> Next(RoundStatus from) => Steps.Where(s => s.From == from).Select(s => s.To);

    /// <summary>From launch on a round counts as inspecting its targets (coverage, statistics).</summary>
    public static readonly RoundStatus[] Inspecting =
        [RoundStatus.Launched, RoundStatus.Fieldwork, RoundStatus.Reporting, RoundStatus.Feedback, RoundStatus.Rectification, RoundStatus.Closed];

    /// <summary>The same set as stored in the database (status names), for the hand-written SQL.</summary>
    public static readonly string[] InspectingNames = [.. Inspecting.Select(s => s.ToString())];
}
