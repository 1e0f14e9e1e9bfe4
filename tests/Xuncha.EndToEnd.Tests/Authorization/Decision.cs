using System.Net;

namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>What one principal may do with one operation, as the matrix spells it.</summary>
public static class Decision
{
    /// <summary>Passed authentication and the role/scope gate: any status but 401/403 (a 404 for an unknown id included).</summary>
    public const string Allow = "allow";

    /// <summary>Authenticated but refused: 403.</summary>
    public const string Deny = "deny";

    /// <summary>No (acceptable) token: 401.</summary>
    public const string Unauthenticated = "401";

    /// <summary>Open to anonymous callers by design (码上巡察, disclosure, survey).</summary>
    public const string Public = "public";

    public static readonly string[] All = [Allow, Deny, Unauthenticated, Public];

    public static string Of(HttpStatusCode status, bool anonymous) => status switch
    {
        HttpStatusCode.Unauthorized => Unauthenticated,
        HttpStatusCode.Forbidden => Deny,
        _ => anonymous ? Public : Allow,
    };
}
