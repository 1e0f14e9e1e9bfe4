using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Data;

namespace Xuncha.Clues.Transfers;

/// <summary>A named counter row per key.</summary>
public sealed class Counter
{
    public required string Key { get; init; }
    public long Value { get; set; }
}

/// <summary>
/// Gapless counters: the upsert takes the row lock and keeps it until the caller's transaction commits, so concurrent
/// transfers queue on the row, never share a number, and a rolled-back transfer gives its number back.
/// </summary>
public static class Counters
{
    public const string TransferFeed = "transfer-feed";

    public static string LetterKey(string jurisdiction, int year) => $"letter:{jurisdiction}:{year}";

    public static async Task<long> NextAsync(CluesDb db, string key, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>($"""
            INSERT INTO counters (key, value) VALUES ({key}, 1)
            ON CONFLICT (key) DO UPDATE SET value = counters.value + 1
            RETURNING value AS "Value"
            """).ToListAsync(ct)).Single();
}
