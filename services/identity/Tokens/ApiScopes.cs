namespace Xuncha.Identity.Tokens;

/// <summary>The scopes a token can carry. Each API scope becomes the audience "xuncha.&lt;api&gt;" that the service checks.</summary>
public static class ApiScopes
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string OfflineAccess = "offline_access";
    public const string IdentityAdmin = "identity.admin";

    public static readonly IReadOnlyDictionary<string, string> Apis = new Dictionary<string, string>
    {
        ["planning"] = "规划计划 Planning",
        ["staffing"] = "队伍与人才库 Staffing",
        ["fieldwork"] = "巡中工作 Fieldwork",
        ["clues"] = "问题线索移交 Clue hand-off",
        ["audit"] = "巡审联动 Audit linkage",
        ["rectification"] = "整改 Rectification",
        [IdentityAdmin] = "身份管理 Identity administration",
    };

    public static readonly IReadOnlyList<string> All = [OpenId, Profile, OfflineAccess, .. Apis.Keys];

    public static string Audience(string scope) => scope == IdentityAdmin || scope == OpenId ? "xuncha.identity" : "xuncha." + scope;

    /// <summary>Audiences for a granted scope set; an OIDC-only token is for the userinfo endpoint (xuncha.identity).</summary>
    public static IReadOnlyList<string> Audiences(IEnumerable<string> scopes) =>
        scopes.Where(s => Apis.ContainsKey(s) || s == OpenId).Select(Audience).Distinct().Order().ToList();

    public static List<string> Parse(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
}
