using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Calendar;

namespace Xuncha.Rectification.Escalation;

/// <summary>Where a task stands on the ladder on a given day: its colour, the rungs reached, whether 约谈 is due.</summary>
public sealed record LadderPosition(EscalationLevel Level, int OverdueWorkingDays, IReadOnlyList<EscalationStep> Steps, bool InterviewDue);

/// <summary>
/// The escalation ladder (预警督办): yellow when the deadline is near, red once it has passed; then, counted in working
/// days overdue, a reminder letter (提醒函), a supervision order (督办单), and beyond the configured limit an interview
/// recommendation (约谈). Pure: the scanner feeds it dates; tests feed it simulated ones.
/// </summary>
public static class EscalationLadder
{
    public static LadderPosition Evaluate(DateOnly dueOn, DateOnly today, WorkingCalendar calendar, EscalationOptions escalation, InterviewOptions interview)
    {
        if (today <= dueOn)
        {
            var remaining = calendar.WorkingDaysBetween(today, dueOn);
            return remaining <= escalation.YellowWithinWorkingDays
                ? new LadderPosition(EscalationLevel.Yellow, 0, [EscalationStep.Approaching], false)
                : new LadderPosition(EscalationLevel.None, 0, [], false);
        }
        var overdue = calendar.WorkingDaysBetween(dueOn, today);
        var steps = new List<EscalationStep> { EscalationStep.Overdue };
        if (overdue >= escalation.ReminderLetterAfterWorkingDays) steps.Add(EscalationStep.ReminderLetter);
        if (overdue >= escalation.SupervisionOrderAfterWorkingDays) steps.Add(EscalationStep.SupervisionOrder);
        return new LadderPosition(EscalationLevel.Red, overdue, steps, overdue > interview.OverdueWorkingDays);
    }
}
