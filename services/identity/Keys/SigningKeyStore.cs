using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;

namespace Xuncha.Identity.Keys;

/// <summary>
/// Signing keys persisted in identitydb (private halves encrypted), cached briefly. Rotation pre-publishes the new key and
/// keeps the old one published until the last token it signed has expired, so no valid token ever fails validation.
/// </summary>
public sealed class SigningKeyStore(IServiceScopeFactory scopes, IOptions<TokenServiceOptions> options, KeyEncryption encryption, TimeProvider clock)
{
    private readonly SemaphoreSlim refresh = new(1, 1);
    // One reference swapped whole: readers outside the lock never see half of an update.
    private KeySet? cache;

    private sealed record KeySet(DateTimeOffset LoadedAt, IReadOnlyList<SigningKey> Keys, Dictionary<string, RsaSecurityKey> Rsa);

    public async Task<(SigningKey Key, RsaSecurityKey Rsa)> CurrentAsync(CancellationToken ct = default)
    {
        var (keys, rsa) = await LoadAsync(ct);
        var now = clock.GetUtcNow();
        var current = keys.Where(k => k.ActivatesAt <= now && (k.RetiresAt is null || k.RetiresAt > now)).MaxBy(k => k.ActivatesAt)
            ?? throw new InvalidOperationException("no active signing key");
        return (current, rsa[current.KeyId]);
    }

    /// <summary>Keys to publish in the JWKS and to validate with: pending, active and retiring ones.</summary>
    public async Task<IReadOnlyList<SigningKey>> PublishedAsync(CancellationToken ct = default)
    {
        var (keys, _) = await LoadAsync(ct);
        var now = clock.GetUtcNow();
        return keys.Where(k => k.RetiresAt is null || k.RetiresAt > now).OrderByDescending(k => k.ActivatesAt).ToList();
    }

    public async Task<IEnumerable<SecurityKey>> ValidationKeysAsync(CancellationToken ct = default)
    {
        var (_, rsa) = await LoadAsync(ct);
        return (await PublishedAsync(ct)).Select(k => (SecurityKey)new RsaSecurityKey(rsa[k.KeyId].Rsa.ExportParameters(false)) { KeyId = k.KeyId });
    }

    /// <summary>Creates the first key when there is none (under an advisory lock: replicas may start together).</summary>
    public async Task EnsureKeyAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7302)", ct);
        var now = clock.GetUtcNow();
        if (!await db.SigningKeys.AnyAsync(k => k.RetiresAt == null || k.RetiresAt > now, ct))
        {
            db.SigningKeys.Add(NewKey(now, now));
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        cache = null;
    }

    /// <summary>Publishes a new key now, signing from now + propagation; the current key retires once its tokens have expired.</summary>
    public async Task<SigningKey> RotateAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7302)", ct);
        var now = clock.GetUtcNow();
        var activates = now + TimeSpan.FromSeconds(options.Value.KeyPropagationSeconds);
        var retireOld = activates + options.Value.AccessTokenLifetime + TimeSpan.FromMinutes(1);
        foreach (var old in await db.SigningKeys.Where(k => k.RetiresAt == null).ToListAsync(ct))
        {
            old.RetiresAt = retireOld;
        }
        var key = NewKey(now, activates);
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        cache = null;
        return key;
    }

    private SigningKey NewKey(DateTimeOffset now, DateTimeOffset activates)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        return new SigningKey
        {
            KeyId = ApiClient.Base64Url(RandomNumberGenerator.GetBytes(12)),
            CreatedAt = now,
            ActivatesAt = activates,
            SealedPrivateKey = encryption.Seal(rsa.ExportPkcs8PrivateKey()),
            Modulus = ApiClient.Base64Url(p.Modulus!),
            Exponent = ApiClient.Base64Url(p.Exponent!),
        };
    }

    private async Task<(IReadOnlyList<SigningKey>, Dictionary<string, RsaSecurityKey>)> LoadAsync(CancellationToken ct)
    {
        var ttl = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
        if (cache is { } c && clock.GetUtcNow() - c.LoadedAt < ttl)
        {
            return (c.Keys, c.Rsa);
        }
        await refresh.WaitAsync(ct);
        try
        {
            if (cache is { } again && clock.GetUtcNow() - again.LoadedAt < ttl)
            {
                return (again.Keys, again.Rsa);
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var keys = await db.SigningKeys.AsNoTracking().ToListAsync(ct);
            var rsa = keys.ToDictionary(k => k.KeyId, k =>
            {
                var r = RSA.Create();
                r.ImportPkcs8PrivateKey(encryption.Unseal(k.SealedPrivateKey), out _);
                return new RsaSecurityKey(r) { KeyId = k.KeyId };
            });
            cache = new KeySet(clock.GetUtcNow(), keys, rsa);
            return (keys, rsa);
        }
        finally
        {
            refresh.Release();
        }
    }
}
