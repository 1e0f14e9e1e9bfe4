using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Data;

namespace Xuncha.Planning.Standards;

/// <summary>Every change to the library publishes a whole new version, so a launched round's frozen version never moves.</summary>
public static class StandardsLibrary
{
    public static async Task<int> LatestAsync(PlanningDb db, CancellationToken ct) =>
        await db.StandardVersions.MaxAsync(v => (int?)v.Number, ct) ?? 0;

    public static async Task<List<string>> UnknownCodesAsync(PlanningDb db, IReadOnlyCollection<string> codes, CancellationToken ct)
    {
        if (codes.Count == 0) return [];
        var latest = await LatestAsync(db, ct);
        var known = await db.StandardItems.Where(i => i.Version == latest && codes.Contains(i.Code)).Select(i => i.Code).ToListAsync(ct);
        return [.. codes.Except(known)];
    }

    /// <summary>
    /// Publishes version N+1: the latest items passed through <paramref name="change"/>. Callers hold a transaction;
    /// a concurrent publisher of the same number fails on the key (409) and retries.
    /// </summary>
    public static async Task<StandardVersion> PublishAsync(PlanningDb db, string by, string note, Func<List<StandardItem>, List<StandardItem>> change, CancellationToken ct)
    {
        var latest = await LatestAsync(db, ct);
        var current = await db.StandardItems.AsNoTracking().Where(i => i.Version == latest).ToListAsync(ct);
        var version = new StandardVersion { Number = latest + 1, PublishedAt = DateTimeOffset.UtcNow, PublishedBy = by, Note = note };
        db.StandardVersions.Add(version);
        db.StandardItems.AddRange(change(current).Select(i => i with { Id = Guid.NewGuid(), Version = version.Number }));
        return version;
    }
}
