using System.Security.Claims;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Rectification.Cases;

/// <summary>
/// Need-to-know on rectification cases.
/// <list type="bullet">
/// <item>The inspected unit (unit-responsible, unit-liaison) sees only its own case: the token's <c>jurisdiction</c>
/// claim must EQUAL the unit's own jurisdiction id, the last element of the case's JurisdictionPath. A unit never sees a
/// sibling's or a subordinate's case through this rule.</item>
/// <item>The office (rectification-supervisor, office-coordinator) and the leading group see every case in their subtree
/// (<see cref="Caller.Oversees"/> on the path: the directing jurisdiction and those above it).</item>
/// <item>Anyone else gets 404, never 403, so the existence of a case is not disclosed: read endpoints check only this
/// rule (no role filter), write endpoints add the role the action needs.</item>
/// </list>
/// </summary>
public static class CaseAccess
{
    public static readonly string[] UnitRoles = [PlatformRoles.UnitResponsible, PlatformRoles.UnitLiaison];
    public static readonly string[] OfficeRoles = [PlatformRoles.RectificationSupervisor, PlatformRoles.OfficeCoordinator, PlatformRoles.LeadingGroup];
    public static readonly string[] ReaderRoles = [.. UnitRoles, .. OfficeRoles];
    /// <summary>Approves plans and closures, marks false rectification, evaluates, discloses (整改督导岗).</summary>
    public static readonly string[] Supervisor = [PlatformRoles.RectificationSupervisor];
    /// <summary>Writes the unit's plan and ledger (整改联络员).</summary>
    public static readonly string[] Liaison = [PlatformRoles.UnitLiaison];
    /// <summary>Record interviews: the supervisor who organises them and the leading group who holds them.</summary>
    public static readonly string[] Interviewers = [PlatformRoles.RectificationSupervisor, PlatformRoles.LeadingGroup];

    public static bool IsUnitOf(this ClaimsPrincipal user, RectificationCase c) =>
        user.HasAnyRole(UnitRoles) && user.Jurisdiction().Length > 0 && user.Jurisdiction() == c.UnitJurisdiction;

    public static bool IsOfficeOver(this ClaimsPrincipal user, RectificationCase c) =>
        user.HasAnyRole(OfficeRoles) && user.Oversees(c.JurisdictionPath);

    public static bool CanSee(this ClaimsPrincipal user, RectificationCase c) => user.IsUnitOf(c) || user.IsOfficeOver(c);
}
