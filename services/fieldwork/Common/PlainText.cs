using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Xuncha.Fieldwork.Common;

internal static partial class PlainText
{
    /// <summary>Free-text fields are plain text: anything that opens a tag (&lt;script, &lt;/x, &lt;!--, &lt;?) is refused.</summary>
    public static bool HasMarkup(string? text) => text is not null && Markup().IsMatch(text);

    [GeneratedRegex(@"<\s*[A-Za-z!/?]")]
    private static partial Regex Markup();

    /// <summary>The Chinese label of an enum value ([Description]).</summary>
    public static string Label<T>(this T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<DescriptionAttribute>()?.Description ?? value.ToString();

    public static string KebabCase<T>(this T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
