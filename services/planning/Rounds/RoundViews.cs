using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Rounds;

public sealed record RoundTargetView(
    Guid TargetId, string Code, string Name, TargetKind Kind, string County, InspectionMode Mode, string ModeLabel,
    IReadOnlyList<string> StaffSourceJurisdictions, Guid? ClusterTargetId, DateOnly StartsOn, DateOnly EndsOn, RoundTargetStatus Status,
    Guid? GroupId, int ProblemsFound, int CluesRaised, int PetitionsReceived, FiveItemChecklist Checklist);

public sealed record RoundView(
    Guid Id, Guid TermId, string Jurisdiction, int Number, string Name, DateOnly StartsOn, DateOnly EndsOn, int GroupsNeeded,
    IReadOnlyList<string> StandardCodes, int? StandardsVersion, RoundStatus Status, string StatusLabel, IReadOnlyList<RoundStatus> NextSteps,
    DateTimeOffset? LaunchedAt, DateTimeOffset? ClosedAt, uint Version, IReadOnlyList<RoundTargetView> Targets);

public static class RoundViews
{
    /// <summary>The round as <paramref name="visibleGroups"/> allows: all targets, or only those of the caller's groups.</summary>
    public static async Task<RoundView> ViewAsync(PlanningDb db, Round round, IReadOnlySet<Guid>? visibleGroups, CancellationToken ct)
    {
        var rts = round.Targets.Where(rt => visibleGroups is null || rt.GroupId is { } g && visibleGroups.Contains(g)).ToList();
        var ids = rts.Select(rt => rt.TargetId).ToList();
        var targets = await db.Targets.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Code, t.Name, t.Kind, t.County }).ToDictionaryAsync(t => t.Id, ct);
        var views = rts.Select(rt =>
        {
            var t = targets[rt.TargetId];
            return new RoundTargetView(rt.TargetId, t.Code, t.Name, t.Kind, t.County, rt.Mode, Codes.Label(rt.Mode), rt.StaffSourceJurisdictions,
                rt.ClusterTargetId, rt.StartsOn, rt.EndsOn, rt.Status, rt.GroupId, rt.ProblemsFound, rt.CluesRaised, rt.PetitionsReceived, rt.Checklist);
        }).OrderBy(v => v.Code, StringComparer.Ordinal).ToList();
        return new RoundView(round.Id, round.TermId, round.Jurisdiction, round.Number, round.Name, round.StartsOn, round.EndsOn, round.GroupsNeeded,
            round.StandardCodes, round.StandardsVersion, round.Status, Codes.Label(round.Status), [.. RoundLifecycle.Next(round.Status)],
            round.LaunchedAt, round.ClosedAt, round.Version, views);
    }
}
