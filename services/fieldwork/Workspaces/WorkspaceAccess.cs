using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Data;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Fieldwork.Workspaces;

/// <summary>Who the caller is in one workspace: a member of its group (by token subject), an office role over it, or nobody.</summary>
public sealed record WorkspaceCaller(Workspace Workspace, GroupMemberEntry? Member, bool Office, string Subject)
{
    public bool IsLeader => Member?.Role == GroupMemberEntry.Leader;
    public bool IsDeputy => Member?.Role == GroupMemberEntry.Deputy;
    public string DisplayName => Member?.Name ?? Subject;
}

public static class WorkspaceAccess
{
    /// <summary>Office roles that see every workspace of a jurisdiction they oversee.</summary>
    public static readonly string[] OfficeRoles = [PlatformRoles.OfficeCoordinator, PlatformRoles.LeadingGroup];

    public static bool IsOfficeOver(this ClaimsPrincipal user, Workspace w) =>
        user.HasAnyRole(OfficeRoles) && user.Oversees(w.DirectingPath);

    /// <summary>Null unless the caller may see the workspace: to anyone else it does not exist (404, never 403).</summary>
    public static async Task<WorkspaceCaller?> FindWorkspaceAsync(this FieldworkDb db, ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var workspace = await db.Workspaces.Include(w => w.Group).FirstOrDefaultAsync(w => w.Id == id, ct);
        if (workspace is null) return null;
        var subject = user.Subject();
        var member = workspace.Group.MemberFor(subject);
        var office = user.IsOfficeOver(workspace);
        return member is null && !office ? null : new WorkspaceCaller(workspace, member, office, subject);
    }

    /// <summary>The workspaces the caller may see: those of groups listing the subject, plus those under its office.</summary>
    public static async Task<List<Workspace>> VisibleWorkspacesAsync(this FieldworkDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var subject = user.Subject();
        var office = user.HasAnyRole(OfficeRoles) ? user.Jurisdiction() : "";
        // jsonb containment keeps the membership test in the database.
        var memberFilter = System.Text.Json.JsonSerializer.Serialize(new[] { new { accountSubject = subject } });
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT w.id AS "Value" FROM workspaces w JOIN inspection_groups g ON g.id = w.group_id
            WHERE ({subject} <> '' AND g.members @> {memberFilter}::jsonb) OR ({office} <> '' AND {office} = ANY(w.directing_path))
            """).ToListAsync(ct);
        return await db.Workspaces.AsNoTracking().Include(w => w.Group).Where(w => ids.Contains(w.Id)).OrderBy(w => w.OpenedAt).ToListAsync(ct);
    }
}
