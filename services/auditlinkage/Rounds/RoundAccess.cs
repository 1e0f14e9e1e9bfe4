using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.AuditLinkage.Rounds;

/// <summary>
/// What the caller is to a round: one of its groups' members, an audit officer or an office role over it. Groups are all
/// the round's groups (read once per request), OwnGroups those the caller belongs to.
/// </summary>
public sealed record RoundCaller(RoundView Round, IReadOnlyList<GroupView> Groups, IReadOnlyList<GroupView> OwnGroups, bool AuditOfficer, bool Office)
{
    /// <summary>The group inspecting a target, if one has been formed.</summary>
    public GroupView? GroupFor(Guid targetId) => Groups.FirstOrDefault(g => g.TargetIds.Contains(targetId));

    public bool Member => OwnGroups.Count > 0;

    /// <summary>The inspection side of the linkage: the round's groups and the office.</summary>
    public bool InspectionSide => Member || Office;

    public TargetView? Target(Guid targetId) => Round.Targets.FirstOrDefault(t => t.TargetId == targetId);
}

/// <summary>
/// Need-to-know for everything this service keeps: the round's group members (token sub = AccountSubject), audit
/// officers and office roles whose jurisdiction is on the round's path. Outside the jurisdiction a round does not
/// exist (404); inside it, a caller without one of those standings is refused (403).
/// </summary>
public sealed class RoundAccess(AuditDb db)
{
    public static readonly string[] OfficeRoles = [PlatformRoles.LeadingGroup, PlatformRoles.OfficeCoordinator, PlatformRoles.RectificationSupervisor];

    /// <summary>
    /// Who works in audit linkage at all, for what is not tied to one round (the rule library, the dataset kinds): the
    /// detection rules are not for inspected units, and not for agencies outside the linkage.
    /// </summary>
    public static readonly string[] LinkageRoles =
        [PlatformRoles.AuditOfficer, .. OfficeRoles, PlatformRoles.GroupLeader, PlatformRoles.DeputyLeader, PlatformRoles.GroupMember];

    public async Task<(RoundCaller? Caller, IResult? Denied)> CheckAsync(ClaimsPrincipal user, Guid roundId, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            return (null, ApiProblems.NotFound("round", roundId));
        }
        var subject = user.Subject();
        var groups = await db.Groups.AsNoTracking().Where(g => g.RoundId == roundId).OrderBy(g => g.Id).ToListAsync(ct);
        var own = subject.Length == 0 ? [] : groups.Where(g => g.MemberSubjects.Contains(subject)).ToList();
        var oversees = user.Oversees(round.JurisdictionPath);
        var caller = new RoundCaller(round, groups, own,
            AuditOfficer: oversees && user.HasAnyRole(PlatformRoles.AuditOfficer),
            Office: oversees && user.HasAnyRole(OfficeRoles));
        if (caller.Member || caller.AuditOfficer || caller.Office)
        {
            return (caller, null);
        }
        return oversees
            ? (null, ApiProblems.Forbidden("Only the round's group members, audit officers and the inspection office may see this round's linkage work."))
            : (null, ApiProblems.NotFound("round", roundId));
    }

    /// <summary>As <see cref="CheckAsync"/>, and the target must belong to the round.</summary>
    public async Task<(RoundCaller? Caller, TargetView? Target, IResult? Denied)> CheckTargetAsync(ClaimsPrincipal user, Guid roundId, Guid targetId, CancellationToken ct)
    {
        var (caller, denied) = await CheckAsync(user, roundId, ct);
        if (caller is null) return (null, null, denied);
        var target = caller.Target(targetId);
        return target is null ? (null, null, ApiProblems.NotFound("target", targetId)) : (caller, target, null);
    }
}
