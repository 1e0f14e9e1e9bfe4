using Xuncha.Rectification.Plans;

namespace Xuncha.Rectification.FollowUps;

/// <summary>回头看 dates: a short-term task within one month of closure; a long-term task every quarter, four times (a year).</summary>
public static class FollowUpSchedule
{
    public const int LongTermChecks = 4;

    public static FollowUp First(RectificationTask task, DateOnly closedOn) => Make(task, 1, closedOn);

    /// <summary>The next quarterly check after a consolidated result, or null when the schedule is complete.</summary>
    public static FollowUp? Next(RectificationTask task, FollowUp done) =>
        task.Term == TaskTerm.LongTerm && done.Sequence < LongTermChecks && done.TaskId is not null ? Make(task, done.Sequence + 1, done.DueOn) : null;

    private static FollowUp Make(RectificationTask task, int sequence, DateOnly from) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = task.CaseId,
        TaskId = task.Id,
        Kind = task.Term == TaskTerm.ShortTerm ? FollowUpKind.ShortTermMonthly : FollowUpKind.LongTermQuarterly,
        Sequence = sequence,
        DueOn = task.Term == TaskTerm.ShortTerm ? from.AddMonths(1) : from.AddMonths(3),
    };
}
