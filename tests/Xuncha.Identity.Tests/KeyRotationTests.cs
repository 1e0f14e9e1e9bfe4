using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>
/// Signing-key rotation never makes a valid token fail: a new key is published before it signs, the old one stays
/// published until everything it signed has expired. Each test has its own identity (rotation is global).
/// </summary>
[Collection(Servers.Name)]
public sealed class KeyRotationTests(PlatformServers servers)
{
    private static Task<IdentityHost> Start(PlatformServers servers, int propagationSeconds, TimeProvider? clock = null) =>
        IdentityHost.StartAsync(servers, new Dictionary<string, string?>
        {
            ["Identity:KeyPropagationSeconds"] = propagationSeconds.ToString(),
            ["Identity:KeyCacheSeconds"] = "0",
        }, clock);

    private static async Task<string> Rotate(AdminApi admin)
    {
        using var response = await admin.PostAsync("/admin/signing-keys/rotate");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"rotate: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kid").GetString()!;
    }

    private static string Kid(string token) => Jwt.Header(token).GetProperty("kid").GetString()!;

    [Fact]
    public async Task Tokens_from_before_and_after_a_rotation_all_validate_against_the_jwks_fetched_after_it()
    {
        await using var host = await Start(servers, propagationSeconds: 0);
        using var admin = await host.AdminAsync();
        var before = (await host.Client.ClientCredentialsAsync(Seeded.Agency, "planning")).AccessToken;
        var userBefore = await host.UserTokenAsync(Seeded.Staff, "openid profile");
        var oldKid = Kid(before);

        var newKid = await Rotate(admin);
        Assert.NotEqual(oldKid, newKid);

        var after = (await host.Client.ClientCredentialsAsync(Seeded.Agency, "planning")).AccessToken;
        Assert.Equal(newKid, Kid(after));

        var jwks = await Jwt.FetchJwksAsync(host.Client);
        Assert.Equal(new[] { oldKid, newKid }.Order(), Jwt.KeyIds(jwks).Order());
        await Jwt.AssertValidAsync(before, jwks, "xuncha.planning");
        await Jwt.AssertValidAsync(after, jwks, "xuncha.planning");

        // Identity itself still accepts what it signed before the rotation.
        using var userinfo = host.WithToken(userBefore);
        Assert.Equal(HttpStatusCode.OK, (await userinfo.GetAsync("/connect/userinfo")).StatusCode);
        using var adminStillWorks = await admin.Http.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, adminStillWorks.StatusCode);
    }

    [Fact]
    public async Task A_new_key_is_published_at_once_but_signs_only_after_the_propagation_delay()
    {
        var clock = new ShiftedClock();
        await using var host = await Start(servers, propagationSeconds: 300, clock);
        using var admin = await host.AdminAsync();
        var oldKid = Kid((await host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken);

        var newKid = await Rotate(admin);
        Assert.Contains(newKid, Jwt.KeyIds(await Jwt.FetchJwksAsync(host.Client)));
        Assert.Equal(oldKid, Kid((await host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken));

        clock.Advance(TimeSpan.FromSeconds(290));
        Assert.Equal(oldKid, Kid((await host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(newKid, Kid((await host.Client.ClientCredentialsAsync(Seeded.Agency)).AccessToken));
    }

    [Fact]
    public async Task The_old_key_stays_published_until_its_last_token_has_expired_then_retires()
    {
        var clock = new ShiftedClock();
        await using var host = await Start(servers, propagationSeconds: 0, clock);
        using var admin = await host.AdminAsync();
        var lastOld = (await host.Client.ClientCredentialsAsync(Seeded.Agency, "planning")).AccessToken;
        var oldKid = Kid(lastOld);
        var newKid = await Rotate(admin);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Jwt.Payload(lastOld).GetProperty("exp").GetInt64());

        // Right up to the moment the old key's last token expires, it is still published and the token validates.
        clock.Advance(expiresAt - clock.GetUtcNow() - TimeSpan.FromSeconds(5));
        var jwks = await Jwt.FetchJwksAsync(host.Client);
        Assert.Contains(oldKid, Jwt.KeyIds(jwks));
        await Jwt.AssertValidAsync(lastOld, jwks, "xuncha.planning", clock);

        // Once nothing it signed can still be valid, the old key leaves the JWKS.
        var retired = await Eventually.Until(
            async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(30));
                return Jwt.KeyIds(await Jwt.FetchJwksAsync(host.Client));
            },
            ids => !ids.Contains(oldKid),
            TimeSpan.FromSeconds(10),
            "the old key to retire from the JWKS");
        Assert.Equal([newKid], retired);
        Assert.True(clock.GetUtcNow() > expiresAt, "retired only after the old key's last token expired");
    }

    /// <summary>
    /// A relying service that caches the JWKS and refreshes it once the copy is as old as the propagation delay —
    /// never on an unknown kid, so a key that signs before it was published would fail here.
    /// </summary>
    private sealed class CachingRelyingParty(HttpClient http, TimeProvider clock, TimeSpan maxAge)
    {
        private (DateTimeOffset At, JsonWebKeySet Keys)? cached;
        public int Fetches { get; private set; }

        public async Task<JsonWebKeySet> KeysAsync()
        {
            if (cached is not { } c || clock.GetUtcNow() - c.At >= maxAge)
            {
                cached = (clock.GetUtcNow(), await Jwt.FetchJwksAsync(http));
                Fetches++;
            }
            return cached.Value.Keys;
        }
    }

    [Fact]
    public async Task While_keys_rotate_every_fresh_token_validates_against_a_jwks_cached_up_to_the_propagation_delay()
    {
        const int propagation = 60;
        var clock = new ShiftedClock();
        await using var host = await Start(servers, propagation, clock);
        using var admin = await host.AdminAsync();
        var relyingParty = new CachingRelyingParty(host.Client, clock, TimeSpan.FromSeconds(propagation));
        var kids = new List<string>();

        // 16 steps of a third of the propagation delay, rotating every 4th step (4 rotations, 5 keys in total).
        for (var step = 0; step < 16; step++)
        {
            if (step % 4 == 1)
            {
                await Rotate(admin);
            }
            clock.Advance(TimeSpan.FromSeconds(propagation / 3));
            var token = (await host.Client.ClientCredentialsAsync(Seeded.Agency, "planning")).AccessToken;
            var result = await Jwt.ValidateAsync(token, await relyingParty.KeysAsync(), "xuncha.planning", clock);
            Assert.True(result.IsValid, $"step {step}: token signed by {Kid(token)} failed: {result.Exception?.Message}");
            kids.Add(Kid(token));
        }

        Assert.True(kids.Distinct().Count() >= 4, $"the rotations took effect: {string.Join(", ", kids.Distinct())}");
        Assert.True(relyingParty.Fetches < kids.Count / 2, $"the relying party mostly used its cache ({relyingParty.Fetches} fetches)");
    }
}
