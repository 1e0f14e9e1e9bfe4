using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Plans;

namespace Xuncha.Rectification.Cases;

/// <summary>Loads a case or a task only when the caller may see it (<see cref="CaseAccess"/>); otherwise null → 404.</summary>
internal static class CaseLookup
{
    public static async Task<RectificationCase?> VisibleCaseAsync(this RectificationDb db, ClaimsPrincipal user, Guid id, CancellationToken ct) =>
        await db.Cases.Include(c => c.Problems).FirstOrDefaultAsync(c => c.Id == id, ct) is { } c && user.CanSee(c) ? c : null;

    public static async Task<(RectificationTask Task, RectificationCase Case)?> VisibleTaskAsync(this RectificationDb db, ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return null;
        var c = await db.VisibleCaseAsync(user, task.CaseId, ct);
        return c is null ? null : (task, c);
    }

    public static string NotFoundCase(Guid id) => $"No rectification case {id} that you may see.";
    public static string NotFoundTask(Guid id) => $"No rectification task {id} that you may see.";
}
