using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Identity.Tokens;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>Spent and expired credentials do not pile up: housekeeping deletes what can no longer be used, and only that.</summary>
[Collection(Servers.Name)]
public sealed class HousekeepingTests(PlatformServers servers)
{
    [Fact]
    public async Task Expired_codes_refresh_tokens_and_long_retired_keys_are_purged_while_live_ones_keep_working()
    {
        await using var host = await IdentityHost.StartAsync(servers, new Dictionary<string, string?> { ["Identity:KeyPropagationSeconds"] = "0" });
        using var yesterday = host.NewBrowser();
        using var today = host.NewBrowser();
        var stale = await yesterday.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid offline_access");
        var live = await today.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid offline_access");
        using var admin = await host.AdminAsync();
        (await admin.PostAsync("/admin/signing-keys/rotate")).EnsureSuccessStatusCode();

        var now = DateTimeOffset.UtcNow;
        var longAgo = now - TokenHousekeeping.Slack - TimeSpan.FromHours(1);
        var (codes, tokens, keys) = await host.WithDb(async db =>
        {
            // Age one sign-in's code and refresh token, and the key the rotation retired, past expiry plus the slack.
            var staleHash = Xuncha.Identity.Clients.ApiClient.Hash(stale.RefreshToken);
            var family = await db.RefreshTokens.Where(t => t.TokenHash == staleHash).Select(t => t.FamilyId).SingleAsync();
            await db.RefreshTokens.Where(t => t.FamilyId == family).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, longAgo));
            await db.AuthorizationCodes.Where(c => c.IssuedFamily == family).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, longAgo));
            await db.SigningKeys.Where(k => k.RetiresAt != null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RetiresAt, longAgo));
            return (await db.AuthorizationCodes.CountAsync(), await db.RefreshTokens.CountAsync(), await db.SigningKeys.CountAsync());
        });
        Assert.True(keys == 2 && tokens == 2 && codes >= 2, $"before: {codes} codes, {tokens} refresh tokens, {keys} keys");

        var purged = await host.WithDb(db => TokenHousekeeping.PurgeAsync(db, now, CancellationToken.None));

        Assert.Equal(new TokenHousekeeping.Purged(1, 1, 1), purged);
        Assert.Equal((codes - 1, tokens - 1, keys - 1), await host.WithDb(async db =>
            (await db.AuthorizationCodes.CountAsync(), await db.RefreshTokens.CountAsync(), await db.SigningKeys.CountAsync())));
        // The live sign-in is untouched: its refresh token still rotates, and the current key still signs.
        (await host.Client.RefreshAsync(live.RefreshToken)).AssertIssued();
        (await host.Client.RefreshAsync(stale.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "invalid_grant");
        // Running again (another replica, the next tick) finds nothing more.
        Assert.Equal(new TokenHousekeeping.Purged(0, 0, 0), await host.WithDb(db => TokenHousekeeping.PurgeAsync(db, now, CancellationToken.None)));
    }
}
