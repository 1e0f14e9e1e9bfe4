namespace Xuncha.ServiceDefaults.Calendar;

/// <summary>
/// Deadlines and announced periods are calendar dates in China Standard Time (UTC+8, no daylight saving), whatever
/// the server's zone: "today" is read there.
/// </summary>
public static class ChinaDate
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Of(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    public static DateOnly Today(this TimeProvider clock) => Of(clock.GetUtcNow());

    /// <summary>2026年3月1日, as documents write dates.</summary>
    public static string Chinese(this DateOnly day) => $"{day.Year}年{day.Month}月{day.Day}日";
}
