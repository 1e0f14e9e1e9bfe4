using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Xuncha.ServiceDefaults.Calendar;

/// <summary>
/// The one working-day rule (工作日) every deadline uses: Monday–Friday, minus the configured public holidays, plus
/// the configured make-up working days (调休) that fall on weekends. The State Council publishes both lists yearly, so
/// they are configuration (Calendar:Holidays, Calendar:WorkingWeekends), not code.
/// </summary>
public sealed class WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workingWeekends)
{
    private readonly HashSet<DateOnly> holidays = [.. holidays];
    private readonly HashSet<DateOnly> workingWeekends = [.. workingWeekends];

    public static WorkingCalendar WeekdaysOnly { get; } = new([], []);

    public bool IsWorkingDay(DateOnly day) =>
        workingWeekends.Contains(day) || (day.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday && !holidays.Contains(day));

    /// <summary>The date <paramref name="days"/> working days after <paramref name="start"/> (start itself not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var day = start;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/> (0 when to ≤ from).</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day)) count++;
        }
        return count;
    }

    internal static void Register(IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Calendar");
        builder.Services.AddSingleton(new WorkingCalendar(
            section.GetSection("Holidays").Get<DateOnly[]>() ?? [],
            section.GetSection("WorkingWeekends").Get<DateOnly[]>() ?? []));
    }
}
