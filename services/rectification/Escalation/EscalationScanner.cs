using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Escalation;

/// <summary>
/// One pass of the deadline check. Safe with any number of replicas: each batch of open tasks is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and stamped with today's date in the same transaction, so two replicas never look at the
/// same task on the same day; the unique (task, step) index is the last line of defence against a second letter.
/// </summary>
public sealed class EscalationScanner(RectificationDb db, TimeProvider clock, WorkingCalendar calendar, IOptions<RectificationOptions> options,
    InterviewRecommender interviews, ILogger<EscalationScanner> logger)
{
    private const int BatchSize = 100;

    public sealed record ScanResult(int TasksScanned, int NoticesIssued, int InterviewsRecommended);

    public async Task<ScanResult> RunOnceAsync(CancellationToken ct)
    {
        var today = clock.Today();
        int scanned = 0, issued = 0, recommended = 0;
        for (var conflicts = 0; ;)
        {
            try
            {
                var batch = await ScanBatchAsync(today, ct);
                if (batch.TasksScanned == 0) break;
                scanned += batch.TasksScanned;
                issued += batch.NoticesIssued;
                recommended += batch.InterviewsRecommended;
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && ++conflicts <= 3)
            {
                // Another replica recommended the same case's interview in the meantime: the batch rolled back whole; redo it.
                logger.LogInformation("Escalation batch met a concurrent writer ({Constraint}); retrying", ((PostgresException)e.InnerException).ConstraintName);
                db.ChangeTracker.Clear();
            }
        }
        return new ScanResult(scanned, issued, recommended);
    }

    private async Task<ScanResult> ScanBatchAsync(DateOnly today, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var o = options.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inProgress = nameof(LedgerStatus.InProgress);
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT "Id" AS "Value" FROM tasks
            WHERE "Status" = {inProgress} AND ("ScannedOn" IS NULL OR "ScannedOn" < {today})
            ORDER BY "DueOn" LIMIT {BatchSize}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (ids.Count == 0)
        {
            await tx.CommitAsync(ct);
            return new ScanResult(0, 0, 0);
        }
        var tasks = await db.Tasks.Where(t => ids.Contains(t.Id)).ToListAsync(ct);
        var caseIds = tasks.Select(t => t.CaseId).Distinct().ToList();
        var cases = await db.Cases.Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var reached = (await db.Notices.Where(n => ids.Contains(n.TaskId)).Select(n => new { n.TaskId, n.Step }).ToListAsync(ct))
            .Select(n => (n.TaskId, n.Step)).ToHashSet();
        int issued = 0, recommended = 0;
        var interviewAsked = new HashSet<Guid>();
        foreach (var task in tasks)
        {
            var position = EscalationLadder.Evaluate(task.DueOn, today, calendar, o.Escalation, o.Interview);
            task.Level = position.Level;
            task.ScannedOn = today;
            var c = cases[task.CaseId];
            foreach (var step in position.Steps.Where(s => !reached.Contains((task.Id, s))))
            {
                db.Notices.Add(new EscalationNotice { Id = Guid.CreateVersion7(), TaskId = task.Id, CaseId = c.Id, Step = step, OverdueWorkingDays = position.OverdueWorkingDays, IssuedOn = today, IssuedAt = now });
                issued++;
                if (step == EscalationStep.Overdue)
                {
                    db.AddEvent(new RectificationTaskOverdue { TaskId = task.Id, RoundId = c.RoundId, TargetId = c.TargetId, Jurisdiction = c.Jurisdiction, DueOn = task.DueOn, DetectedAt = now });
                }
            }
            if (position.InterviewDue && interviewAsked.Add(c.Id) && await interviews.RecommendAsync(db, c, InterviewSituation.OverdueBeyondLimit,
                    $"整改任务逾期{position.OverdueWorkingDays}个工作日（时限{ChinaDate.Chinese(task.DueOn)}），超过规定的{o.Interview.OverdueWorkingDays}个工作日", task.Id, now, ct) is not null)
            {
                recommended++;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new ScanResult(tasks.Count, issued, recommended);
    }
}

/// <summary>Runs the scan every Escalation:ScanSeconds on the injected clock; off when Escalation:Enabled is false.</summary>
public sealed class EscalationWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<RectificationOptions> options, ILogger<EscalationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Escalation;
        if (!o.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, o.ScanSeconds)), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<EscalationScanner>().RunOnceAsync(stoppingToken);
                if (result.NoticesIssued > 0) logger.LogInformation("Escalation scan: {Tasks} tasks, {Notices} notices, {Interviews} interview recommendations", result.TasksScanned, result.NoticesIssued, result.InterviewsRecommended);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick retries; a scan is idempotent per day.
                logger.LogWarning(e, "Escalation scan failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
