using System.Globalization;
using System.Text;

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

    /// <summary>
    /// The same answer as <see cref="TryDate(string, out DateOnly)"/> for a UTF-8 field; yyyy-MM-dd is read from the bytes,
    /// any other spelling goes through the general parser.
    /// </summary>
    public static bool TryDate(ReadOnlySpan<byte> utf8, out DateOnly date)
    {
        if (utf8.Length == 10 && utf8[4] == '-' && utf8[7] == '-'
            && TryDigits(utf8[..4], out var y) && TryDigits(utf8[5..7], out var m) && TryDigits(utf8[8..], out var d))
        {
            var valid = y is >= 1900 and <= 2100 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth((int)y, (int)m);
            date = valid ? new DateOnly((int)y, (int)m, (int)d) : default;
            return valid;
        }
        return TryDate(Encoding.UTF8.GetString(utf8), out date);
    }

    /// <summary>
    /// The same answer as <see cref="TryMoney(string, out decimal)"/> for a UTF-8 field, as whole cents: plain
    /// "123" / "123.4" / "123.45" are read from the bytes, anything else (signs, separators, ¥, 元) by the general parser.
    /// </summary>
    public static bool TryMoneyCents(ReadOnlySpan<byte> utf8, out long cents)
    {
        var point = utf8.IndexOf((byte)'.');
        var whole = point < 0 ? utf8 : utf8[..point];
        var fraction = point < 0 ? default : utf8[(point + 1)..];
        if (whole.Length is >= 1 and <= 12 && (point < 0 || fraction.Length is 1 or 2)
            && TryDigits(whole, out var units) && TryDigits(fraction, out var hundredths))
        {
            cents = units * 100 + (fraction.Length == 1 ? hundredths * 10 : hundredths);
            return true;
        }
        if (TryMoney(Encoding.UTF8.GetString(utf8), out var amount))
        {
            cents = (long)(amount * 100m);
            return true;
        }
        cents = 0;
        return false;
    }

    /// <summary>What string.Trim() removes (char.IsWhiteSpace), from a valid UTF-8 field.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> utf8)
    {
        while (utf8.Length > 0)
        {
            if (utf8[0] < 0x80)
            {
                if (!IsAsciiWhiteSpace(utf8[0])) break;
                utf8 = utf8[1..];
            }
            else
            {
                Rune.DecodeFromUtf8(utf8, out var rune, out var n);
                if (!Rune.IsWhiteSpace(rune)) break;
                utf8 = utf8[n..];
            }
        }
        while (utf8.Length > 0)
        {
            if (utf8[^1] < 0x80)
            {
                if (!IsAsciiWhiteSpace(utf8[^1])) break;
                utf8 = utf8[..^1];
            }
            else
            {
                Rune.DecodeLastFromUtf8(utf8, out var rune, out var n);
                if (!Rune.IsWhiteSpace(rune)) break;
                utf8 = utf8[..^n];
            }
        }
        return utf8;
    }

    private static bool IsAsciiWhiteSpace(byte b) => b is (byte)' ' or >= 0x09 and <= 0x0D;

    /// <summary>ASCII digits only (an empty span is 0).</summary>
    private static bool TryDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
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
