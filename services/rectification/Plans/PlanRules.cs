using Xuncha.ServiceDefaults.Http;
using Xuncha.Rectification.Cases;

namespace Xuncha.Rectification.Plans;

/// <summary>The plan's rules that need no database: term, deadline bounds, coverage.</summary>
public static class PlanRules
{
    /// <summary>短期 when the deadline falls within one month of the feedback, otherwise 长期.</summary>
    public static TaskTerm TermOf(DateOnly feedbackOn, DateOnly dueOn) => dueOn <= feedbackOn.AddMonths(1) ? TaskTerm.ShortTerm : TaskTerm.LongTerm;

    /// <summary>Problems without any task; a plan is complete when there are none.</summary>
    public static IReadOnlyList<CaseProblem> Uncovered(RectificationCase c, IEnumerable<RectificationTask> tasks)
    {
        var covered = tasks.Select(t => t.ProblemId).ToHashSet();
        return [.. c.Problems.Where(p => !covered.Contains(p.Id))];
    }

    /// <summary>Why a deadline is refused, or null: not before the feedback, not after an immediate item's own deadline, within three years.</summary>
    public static string? DeadlineProblem(RectificationCase c, CaseProblem problem, DateOnly dueOn)
    {
        if (c.FeedbackOn is { } fb && dueOn < fb) return "The deadline is before the feedback date.";
        if (c.FeedbackOn is { } start && dueOn > start.AddYears(3)) return "The deadline is more than three years after the feedback.";
        if (problem.DueOn is { } itemDue && dueOn > itemDue) return $"An immediate-rectification item must be fixed by {itemDue:yyyy-MM-dd}.";
        return null;
    }
}
