using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Data;

namespace Xuncha.Identity.Tokens;

/// <summary>
/// Deletes what can no longer be used: authorization codes and refresh tokens a day past their expiry, and signing keys a
/// day past retirement (every token they signed expired long before). Plain set-based deletes, so replicas may run it at
/// the same time without harm. The day of slack keeps a replayed code or a reused refresh token recognisable as such
/// (and its family revocable) for a while after expiry.
/// </summary>
public sealed class TokenHousekeeping(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<TokenHousekeeping> log)
    : BackgroundService
{
    public static readonly TimeSpan Slack = TimeSpan.FromDays(1);

    public sealed record Purged(int Codes, int RefreshTokens, int SigningKeys);

    public static async Task<Purged> PurgeAsync(IdentityDb db, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - Slack;
        return new Purged(
            await db.AuthorizationCodes.Where(c => c.ExpiresAt < before).ExecuteDeleteAsync(ct),
            await db.RefreshTokens.Where(t => t.ExpiresAt < before).ExecuteDeleteAsync(ct),
            await db.SigningKeys.Where(k => k.RetiresAt != null && k.RetiresAt < before).ExecuteDeleteAsync(ct));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Identity:HousekeepingMinutes", 60)));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await PurgeAsync(scope.ServiceProvider.GetRequiredService<IdentityDb>(), clock.GetUtcNow(), stoppingToken);
                if (purged != new Purged(0, 0, 0)) log.LogInformation("Purged {Codes} codes, {Tokens} refresh tokens, {Keys} retired keys", purged.Codes, purged.RefreshTokens, purged.SigningKeys);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be briefly away; the next tick tries again.
                log.LogWarning("Token housekeeping failed: {Message}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
