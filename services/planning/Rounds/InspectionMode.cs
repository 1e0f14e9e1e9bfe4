using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Xuncha.Planning.Rounds;

/// <summary>巡察方式 (seed 002).</summary>
public enum InspectionMode
{
    [Description("常规巡察"), JsonStringEnumMemberName("regular")] Regular,
    [Description("专项巡察"), JsonStringEnumMemberName("special")] Special,
    [Description("机动巡察"), JsonStringEnumMemberName("mobile")] Mobile,
    [Description("交叉巡察"), JsonStringEnumMemberName("cross")] Cross,
    [Description("提级巡察"), JsonStringEnumMemberName("escalated")] Escalated,
    [Description("巡镇带村"), JsonStringEnumMemberName("township-with-villages")] TownshipWithVillages,
    [Description("市级直巡"), JsonStringEnumMemberName("city-direct")] CityDirect,
    [Description("县区直巡"), JsonStringEnumMemberName("county-direct")] CountyDirect,
}

/// <summary>一轮巡察的阶段 (DOMAIN.md → the life of a round).</summary>
public enum RoundStatus
{
    [Description("草拟"), JsonStringEnumMemberName("draft")] Draft,
    [Description("已报审"), JsonStringEnumMemberName("submitted")] Submitted,
    [Description("已批准"), JsonStringEnumMemberName("approved")] Approved,
    [Description("已启动"), JsonStringEnumMemberName("launched")] Launched,
    [Description("进驻巡察"), JsonStringEnumMemberName("fieldwork")] Fieldwork,
    [Description("报告"), JsonStringEnumMemberName("reporting")] Reporting,
    [Description("反馈"), JsonStringEnumMemberName("feedback")] Feedback,
    [Description("整改"), JsonStringEnumMemberName("rectification")] Rectification,
    [Description("已结束"), JsonStringEnumMemberName("closed")] Closed,
}

/// <summary>Where one target of a round stands, as the other services report it.</summary>
public enum RoundTargetStatus
{
    [Description("待组建巡察组"), JsonStringEnumMemberName("planned")] Planned,
    [Description("巡察组已组建"), JsonStringEnumMemberName("group-formed")] GroupFormed,
    [Description("进驻已完成"), JsonStringEnumMemberName("fieldwork-completed")] FieldworkCompleted,
    [Description("整改已评估"), JsonStringEnumMemberName("rectification-evaluated")] RectificationEvaluated,
}
