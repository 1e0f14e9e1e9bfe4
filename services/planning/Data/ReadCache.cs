using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Xuncha.Planning.Data;

/// <summary>
/// Coverage and statistics are read far more often than the data behind them changes: answers are kept per data
/// generation (see the ReadCacheGeneration migration), so any committed change — on any replica — makes the next
/// read recompute, and an unchanged database answers from memory.
/// </summary>
public sealed class ReadCache(IMemoryCache cache)
{
    private sealed record Key(string Query, long Generation);

    public static Task<long> GenerationAsync(PlanningDb db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>("SELECT value AS \"Value\" FROM data_generation WHERE id = 1").SingleAsync(ct);

    /// <summary>The answer for <paramref name="query"/> at the current generation, computed once per generation.</summary>
    public async Task<T> GetAsync<T>(PlanningDb db, string query, Func<Task<T>> compute, CancellationToken ct) where T : class
    {
        // Read before computing: a change committed meanwhile is newer than the key, so the next read recomputes.
        var key = new Key(query, await GenerationAsync(db, ct));
        if (cache.TryGetValue(key, out T? hit) && hit is not null) return hit;
        var value = await compute();
        cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return value;
    }
}

public static class ReadCacheSetup
{
    public static IHostApplicationBuilder AddReadCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache(o => o.SizeLimit = 2_000);
        builder.Services.AddSingleton<ReadCache>();
        return builder;
    }
}
