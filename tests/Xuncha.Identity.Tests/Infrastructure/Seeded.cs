using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>What every test host starts with, written straight into the database: the first admin and a few clients.</summary>
public static class Seeded
{
    public const string City = "test-city";
    public const string County = "test-city-east";
    public const string OtherCity = "other-city";

    public static readonly SeededUser Admin = new("admin.li", "Admin-Passw0rd!", "李管理", City, "inspection-office", [PlatformRoles.PlatformAdmin]);
    public static readonly SeededUser Staff = new("staff.wang", "Staff-Passw0rd!", "王组员", County, "inspection-office", [PlatformRoles.GroupMember]);

    /// <summary>A confidential agency system using client credentials.</summary>
    public static readonly SeededClient Agency = new("agency-system", "agency-system-secret-0123456789abcdefghijklmnop",
        "discipline-commission", City, [PlatformRoles.CommissionCaseOfficer], ["planning", "clues"]);

    /// <summary>The public browser client (PKCE, refresh tokens).</summary>
    public const string WebClient = "web-app";
    public const string WebRedirect = "https://app.test/callback";
    public static readonly string[] WebScopes = ["openid", "profile", "offline_access", "identity.admin", "planning"];
}

public sealed record SeededUser(string Username, string Password, string DisplayName, string Jurisdiction, string Agency, string[] Roles);

public sealed record SeededClient(string ClientId, string Secret, string Agency, string Jurisdiction, string[] Roles, string[] Scopes);
