using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Xuncha.Clues.Registry;

/// <summary>六大纪律: the allegation's category; "unclassified" until the clue officer classifies a raised clue.</summary>
public enum AllegationCategory
{
    [JsonStringEnumMemberName("unclassified"), Description("待分类")] Unclassified,
    [JsonStringEnumMemberName("political"), Description("政治纪律")] Political,
    [JsonStringEnumMemberName("organisational"), Description("组织纪律")] Organisational,
    [JsonStringEnumMemberName("integrity"), Description("廉洁纪律")] Integrity,
    [JsonStringEnumMemberName("masses"), Description("群众纪律")] Masses,
    [JsonStringEnumMemberName("work"), Description("工作纪律")] Work,
    [JsonStringEnumMemberName("life"), Description("生活纪律")] Life,
}

/// <summary>Where the clue came from (fieldwork's source codes).</summary>
public enum ClueSource
{
    [JsonStringEnumMemberName("petition"), Description("信访举报")] Petition,
    [JsonStringEnumMemberName("interview"), Description("个别谈话")] Interview,
    [JsonStringEnumMemberName("audit"), Description("审计发现")] Audit,
    [JsonStringEnumMemberName("data"), Description("大数据比对")] Data,
    [JsonStringEnumMemberName("document-review"), Description("查阅资料")] DocumentReview,
    [JsonStringEnumMemberName("visit"), Description("走访调研")] Visit,
    [JsonStringEnumMemberName("other"), Description("其他")] Other,
}

public enum Sensitivity
{
    [JsonStringEnumMemberName("ordinary"), Description("一般")] Ordinary,
    [JsonStringEnumMemberName("sensitive"), Description("敏感")] Sensitive,
    [JsonStringEnumMemberName("highly-sensitive"), Description("高度敏感")] HighlySensitive,
}

/// <summary>Who receives a transferred clue: the commission, or the organisation department by cadre-management authority.</summary>
public enum Destination
{
    [JsonStringEnumMemberName("commission"), Description("纪委监委")] Commission,
    [JsonStringEnumMemberName("organisation-department"), Description("组织部")] OrganisationDepartment,
}

/// <summary>The wire codes (kebab-case) and Chinese labels of the enums above, read from their attributes.</summary>
public static class Terms
{
    public static string Code<T>(T value) where T : struct, Enum =>
        Member(value)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();

    public static string Label<T>(T value) where T : struct, Enum =>
        Member(value)?.GetCustomAttribute<DescriptionAttribute>()?.Description ?? value.ToString();

    public static bool TryParse<T>(string? code, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Code(candidate), code, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static FieldInfo? Member<T>(T value) where T : struct, Enum => typeof(T).GetField(value.ToString());
}
