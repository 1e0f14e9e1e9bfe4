using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Transfers;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Clues.Deadlines;

/// <summary>
/// Flags transferred clues whose feedback is overdue and records a reminder for each, again every reminder interval.
/// Any number of replicas may run it: a transaction-scoped advisory lock lets one sweep at a time, the others skip.
/// </summary>
public sealed class DeadlineSweep(IServiceScopeFactory scopes, TimeProvider clock, IOptions<TransferOptions> options, ILogger<DeadlineSweep> logger) : BackgroundService
{
    private const long LockKey = 73082;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SweepMinutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.SweepMinutes), clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; a failed sweep changes nothing (one transaction).
                logger.LogWarning(e, "Deadline sweep failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One sweep; the number of reminders recorded (0 also when another replica holds the lock).</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CluesDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"").SingleAsync(ct))
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        var today = ClueLedger.ChinaDate(now);
        var remindBefore = now.AddDays(-options.Value.ReminderIntervalDays);
        var awaiting = ClueStateMachine.AwaitingFeedback.ToList();
        var due = await db.Clues
            .Where(c => awaiting.Contains(c.Status) && c.FeedbackDueOn < today && (c.LastRemindedAt == null || c.LastRemindedAt <= remindBefore))
            .OrderBy(c => c.FeedbackDueOn).Take(500).ToListAsync(ct);
        foreach (var clue in due)
        {
            clue.OverdueFlaggedAt ??= now;
            clue.LastRemindedAt = now;
            clue.Reminders++;
            db.Set<AuditEntry>().Add(new AuditEntry
            {
                At = now, Actor = "system", Action = "clue.feedback-reminder", EntityType = "clue", EntityId = clue.Id.ToString(),
                Reason = $"反馈期限{clue.FeedbackDueOn:yyyy-MM-dd}已过，第{clue.Reminders}次提醒",
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (due.Count > 0) logger.LogInformation("Flagged {Count} clues with overdue feedback", due.Count);
        return due.Count;
    }
}
