using Xuncha.Rectification.Plans;

namespace Xuncha.Rectification.Ledger;

public static class LedgerRules
{
    /// <summary>台账周更新: an open task whose last update (or start) is older than the interval is flagged.</summary>
    public static bool UpdateMissing(RectificationTask t, DateTimeOffset now, int intervalDays) =>
        t.Status == LedgerStatus.InProgress && (t.LastUpdateAt ?? t.StartedAt) is { } since && now - since > TimeSpan.FromDays(intervalDays);
}
