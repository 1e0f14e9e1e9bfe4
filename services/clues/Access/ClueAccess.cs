using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Data;
using Xuncha.Clues.Registry;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Access;

/// <summary>
/// Need-to-know for clue contents. A clue is readable by: the office's clue officer and the commission's case officers
/// whose jurisdiction is on the clue's owner path; the organisation department (same path check) only for clues
/// transferred to it; and the leader (组长) of the round's group that raised the clue or covers its target. Nobody
/// else learns that the clue exists. Every read, and every refused attempt, leaves an audit row.
/// </summary>
public sealed class ClueAccess(CluesDb db, AuditTrail audit, IHttpContextAccessor http)
{
    public const string Read = "clue.read";
    public const string Listed = "clue.listed";
    public const string Refused = "clue.read-refused";
    public static readonly string[] ReadActions = [Read, Listed, Refused, "clue.letter-read", "clue.pulled"];

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>The clues the caller may read, as a query (so lists and single reads share one rule).</summary>
    public IQueryable<Clue> Readable()
    {
        var user = User;
        var jurisdiction = user.Jurisdiction();
        var subject = user.Subject();
        var officer = jurisdiction.Length > 0 && user.HasAnyRole(PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);
        var organisation = jurisdiction.Length > 0 && user.HasAnyRole(PlatformRoles.OrganisationDepartment);
        var leader = subject.Length > 0 && user.HasAnyRole(PlatformRoles.GroupLeader);
        var led = db.Groups.Where(g => g.LeaderSubjects.Contains(subject));
        return db.Clues.Where(c =>
            (officer && c.OwnerPath.Contains(jurisdiction))
            || (organisation && c.Destination == Destination.OrganisationDepartment && c.OwnerPath.Contains(jurisdiction))
            || (leader && led.Any(g => g.RoundId == c.RoundId && (g.GroupId == c.GroupId || g.TargetIds.Contains(c.TargetId)))));
    }

    /// <summary>The clue if the caller may read it; the read (or the refusal) is audited in the same unit of work.</summary>
    public async Task<Clue?> ReadAsync(Guid id, string action, CancellationToken ct, bool withHistory = false)
    {
        var query = Readable();
        if (withHistory)
        {
            query = query.Include(c => c.History.OrderBy(h => h.At));
        }
        var clue = await query.FirstOrDefaultAsync(c => c.Id == id, ct);
        audit.Record(db, clue is null ? Refused : action, "clue", id.ToString(), reason: clue is null ? "not found or not permitted" : null);
        return clue;
    }

    /// <summary>One audit row per clue shown in a list: "which clue" is answered even for bulk reads.</summary>
    public void RecordListed(IEnumerable<Guid> ids, string action = Listed)
    {
        foreach (var id in ids)
        {
            audit.Record(db, action, "clue", id.ToString());
        }
    }

    /// <summary>Commission-side and office-side officers of the owner's path (not group leaders): who may act on a clue.</summary>
    public bool IsOfficerFor(Clue clue, params string[] roles) =>
        User.HasAnyRole(roles) && User.Oversees(clue.OwnerPath);
}
