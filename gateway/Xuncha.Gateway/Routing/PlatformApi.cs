using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Gateway.Routing;

/// <summary>An API behind the gateway: <c>/api/&lt;Name&gt;/**</c> goes to the service called Name.</summary>
public sealed record PlatformApi(string Name, string Title, bool HasPublicRoutes)
{
    public static readonly IReadOnlyList<PlatformApi> All =
    [
        new("planning", "规划计划 Planning", false),
        new("staffing", "队伍与人才库 Staffing", false),
        new("fieldwork", "巡中工作 Fieldwork", true),          // 码上巡察: public intake
        new("clues", "问题线索移交 Clue hand-off", false),
        new("audit", "巡审联动 Audit linkage", false),
        new("rectification", "整改 Rectification", true),      // public disclosure and satisfaction survey
        new("identity", "身份与账号 Identity", false),         // the admin API (users, roles, clients); sign-in stays at /connect
    ];

    public string Prefix => "/api/" + Name;
    public string OpenApiPath => Prefix + "/openapi/v1.json";
    public string Audience => JwtAuthentication.AudienceFor(Name);
    public string Policy => "api:" + Name;
}
