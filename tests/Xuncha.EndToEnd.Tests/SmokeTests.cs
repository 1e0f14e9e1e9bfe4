using System.Net;

namespace Xuncha.EndToEnd.Tests;

[Collection(SharedPlatform.Name)]
public sealed class SmokeTests(E2EPlatform platform)
{
    [Fact]
    public async Task Every_seeded_user_signs_in_through_the_gateway_and_reaches_planning()
    {
        foreach (var user in platform.Credentials.Users)
        {
            using var http = await platform.AsUserAsync(user.Username);
            using var response = await http.GetAsync("/api/planning/openapi/v1.json");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user.Username}: {(int)response.StatusCode}");
        }
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/planning/jurisdictions")).StatusCode);
    }
}

[Collection(SharedPlatform.Name)]
public sealed class IdentityAdminThroughTheGatewayTests(E2EPlatform platform)
{
    [Fact]
    public async Task The_platform_admin_manages_accounts_through_the_gateway_and_nobody_else_may()
    {
        using var admin = await platform.AsUserAsync("demo.platform-admin");
        using var users = await admin.GetAsync("/api/identity/admin/users");
        Assert.True(users.StatusCode == HttpStatusCode.OK, $"{(int)users.StatusCode} {await users.Content.ReadAsStringAsync()}");
        Assert.Contains("demo.group-leader", await users.Content.ReadAsStringAsync());

        using var member = await platform.AsUserAsync("demo.group-member");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/identity/admin/users")).StatusCode);
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/identity/admin/users")).StatusCode);
    }
}
