using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Data;

namespace Xuncha.Identity.Users;

public static class JurisdictionTree
{
    /// <summary>True when <paramref name="id"/> is <paramref name="scope"/> or lies below it in the tree.</summary>
    public static async Task<bool> IsWithinAsync(IdentityDb db, string id, string scope, CancellationToken ct)
    {
        var all = await db.Jurisdictions.AsNoTracking().ToDictionaryAsync(j => j.Id, j => j.ParentId, ct);
        for (string? at = id, guard = null; at is not null && guard != at; guard = at, at = all.GetValueOrDefault(at))
        {
            if (at == scope) return true;
            if (!all.ContainsKey(at)) return false;
        }
        return false;
    }
}
