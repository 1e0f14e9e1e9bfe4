using System.Security.Claims;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Planning.Access;

/// <summary>
/// Who may read and change planning records. Office coordinators edit, the leading group approves, agencies read their
/// jurisdiction's subtree, inspection groups read only their own round, and inspected units only their own record.
/// </summary>
public static class Need
{
    public static readonly string[] SubtreeReaders =
    [
        PlatformRoles.LeadingGroup, PlatformRoles.OfficeCoordinator, PlatformRoles.RectificationSupervisor, PlatformRoles.ClueOfficer,
        PlatformRoles.CommissionCaseOfficer, PlatformRoles.AuditOfficer, PlatformRoles.OrganisationDepartment,
    ];

    public static readonly string[] GroupRoles = [PlatformRoles.GroupLeader, PlatformRoles.DeputyLeader, PlatformRoles.GroupMember];

    public static readonly string[] UnitRoles = [PlatformRoles.UnitResponsible, PlatformRoles.UnitLiaison];

    /// <summary>Roles that may call a read endpoint at all; each record is then checked against the caller.</summary>
    public static readonly string[] AnyReader = [.. SubtreeReaders, .. GroupRoles, .. UnitRoles];

    public static bool ReadsSubtree(this ClaimsPrincipal user, IEnumerable<string> path) =>
        user.HasAnyRole(SubtreeReaders) && user.Oversees(path);

    public static bool Edits(this ClaimsPrincipal user, IEnumerable<string> path) =>
        user.HasAnyRole(PlatformRoles.OfficeCoordinator) && user.Oversees(path);

    public static bool Approves(this ClaimsPrincipal user, IEnumerable<string> path) =>
        user.HasAnyRole(PlatformRoles.LeadingGroup) && user.Oversees(path);
}
