namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>The columns of the authorization matrix: the 13 seeded users (one role each), the 4 agency clients and nobody.</summary>
public static class Principals
{
    public const string Anonymous = "anonymous";

    /// <summary>User columns are named after the role; the seeded user is <c>demo.&lt;role&gt;</c>.</summary>
    public static readonly string[] Roles =
    [
        "leading-group", "office-coordinator", "rectification-supervisor", "clue-officer", "group-leader", "deputy-leader",
        "group-member", "commission-case-officer", "audit-officer", "organisation-department", "unit-responsible", "unit-liaison",
        "platform-admin",
    ];

    public static readonly string[] Clients = ["commission-system", "audit-bureau-system", "organisation-dept-system", "county-office-system"];

    public static readonly string[] All = [.. Roles, .. Clients, Anonymous];

    public static async Task<HttpClient> ConnectAsync(E2EPlatform platform, string principal) =>
        principal == Anonymous ? platform.Anonymous()
        : Clients.Contains(principal) ? await platform.AsClientAsync(principal)
        : await platform.AsUserAsync("demo." + principal);
}
