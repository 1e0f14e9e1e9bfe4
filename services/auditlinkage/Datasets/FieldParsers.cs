using System.Globalization;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>How provider files spell dates and amounts; a value that fits none is a per-row error, not a failed import.</summary>
internal static class FieldParsers
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy/MM/dd", "yyyyMMdd", "yyyy.M.d", "yyyy年M月d日"];

    public static bool TryDate(string text, out DateOnly date)
    {
        var s = text.AsSpan().Trim();
        // The common spelling first, without the general parser's cost (it runs once per row of a million-row file).
        if (s.Length == 10 && s[4] == '-' && s[7] == '-'
            && int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && int.TryParse(s[5..7], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && int.TryParse(s[8..], NumberStyles.None, CultureInfo.InvariantCulture, out var d))
        {
            var valid = y is >= 1900 and <= 2100 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m);
            date = valid ? new DateOnly(y, m, d) : default;
            return valid;
        }
        if (DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return date.Year is >= 1900 and <= 2100;
        }
        // Excel stores dates as serial numbers (days since 1899-12-30).
        if (s.Length <= 5 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 73051)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }
        return false;
    }

    public static bool TryMoney(string text, out decimal amount)
    {
        var s = text.Trim().TrimStart('¥', '￥').Replace(",", "", StringComparison.Ordinal);
        if (s.EndsWith('元')) s = s[..^1];
        return decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out amount)
            && amount is > -1_000_000_000_000m and < 1_000_000_000_000m
            && decimal.Round(amount, 2) == amount;
    }
}
