using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Xuncha.Clues.Handling;

/// <summary>Where a clue stands, from registration through assessment to the commission's handling.</summary>
public enum ClueStatus
{
    [JsonStringEnumMemberName("registered"), Description("已登记")] Registered,
    [JsonStringEnumMemberName("held"), Description("暂存待查")] Held,
    [JsonStringEnumMemberName("returned-as-problem"), Description("作为普通问题反馈")] ReturnedAsProblem,
    [JsonStringEnumMemberName("transferred"), Description("已移交")] Transferred,
    [JsonStringEnumMemberName("received"), Description("已接收")] Received,
    [JsonStringEnumMemberName("talk-and-inquiry"), Description("谈话函询")] TalkAndInquiry,
    [JsonStringEnumMemberName("preliminary-verification"), Description("初步核实")] PreliminaryVerification,
    [JsonStringEnumMemberName("case-filed"), Description("立案审查调查")] CaseFiled,
    [JsonStringEnumMemberName("closed"), Description("办结")] Closed,
    [JsonStringEnumMemberName("concluded-without-action"), Description("予以了结")] ConcludedWithoutAction,
}
