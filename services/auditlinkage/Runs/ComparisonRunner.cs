using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Datasets;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.AuditLinkage.Rules;
using Xuncha.Contracts.AuditLinkage;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.AuditLinkage.Runs;

public sealed record RunRequest(IReadOnlyList<string>? Rules);

public sealed record RunSummary(Guid Id, Guid RoundId, Guid TargetId, Guid? GroupId, int HitCount, IReadOnlyList<FrozenRule> Rules,
    IReadOnlyList<FrozenDataset> Datasets, IReadOnlyList<string> Skipped, DateTimeOffset RanAt);

/// <summary>
/// Runs rules in one transaction: the run row, every hit with its evidence, the ComparisonHitsFound events (outbox) and
/// the audit entry commit together or not at all.
/// </summary>
public sealed class ComparisonRunner(AuditDb db, WorkingCalendar calendar, AuditTrail audit, TimeProvider clock, IConfiguration configuration)
{
    /// <summary>Hits one statement of a rule may find (AuditLinkage:MaxHitsPerStatement): more means a rule too broad to be read.</summary>
    private readonly int maxHitsPerStatement = configuration.GetValue("AuditLinkage:MaxHitsPerStatement", 100_000);

    /// <summary>Hits per event: a big run becomes several messages rather than one oversized one.</summary>
    private const int HitsPerEvent = 500;

    internal async Task<IResult> RunAsync(RoundCaller caller, TargetView target, RunRequest request, string actor, CancellationToken ct)
    {
        var latest = (await db.Rules.AsNoTracking().ToListAsync(ct)).GroupBy(r => r.Code).Select(g => g.MaxBy(r => r.Version)!).ToList();
        List<RuleVersion> rules;
        if (request.Rules is { Count: > 0 } asked)
        {
            var unknown = asked.Where(c => latest.All(r => r.Code != c)).ToList();
            if (unknown.Count > 0) return ApiProblems.Invalid("rules", $"Unknown rules: {string.Join(", ", unknown)}.");
            rules = [.. latest.Where(r => asked.Contains(r.Code))];
        }
        else
        {
            rules = [.. latest.Where(r => r.Enabled)];
        }

        var ready = (await db.DatasetVersions.AsNoTracking()
                .Where(v => v.RoundId == caller.Round.Id && v.Status == ImportStatus.Ready).ToListAsync(ct))
            .GroupBy(v => v.Kind).ToDictionary(g => g.Key, g => g.MaxBy(v => v.Number)!);
        var runnable = rules.Where(r => Needs(r.Definition).All(ready.ContainsKey)).ToList();
        var skipped = rules.Except(runnable).Select(r => $"{r.Code}: 缺少数据集 {string.Join(", ", Needs(r.Definition).Where(k => !ready.ContainsKey(k)))}").ToList();
        if (request.Rules is { Count: > 0 } && skipped.Count > 0)
        {
            return ApiProblems.RuleViolated("run.datasets-missing", $"Import the datasets these rules collide first — {string.Join("; ", skipped)}.");
        }
        if (runnable.Count == 0)
        {
            return ApiProblems.RuleViolated("run.nothing-to-run", $"No rule has all its datasets imported for this round — {string.Join("; ", skipped)}.");
        }

        var group = caller.OwnGroups.FirstOrDefault(g => g.TargetIds.Contains(target.TargetId))
            ?? caller.GroupFor(target.TargetId);
        var used = runnable.SelectMany(r => Needs(r.Definition)).Distinct().Select(k => ready[k]).ToList();
        var run = new ComparisonRun
        {
            Id = Guid.CreateVersion7(), RoundId = caller.Round.Id, TargetId = target.TargetId, GroupId = group?.Id, RanBy = actor, RanAt = clock.GetUtcNow(),
            Datasets = [.. used.Select(v => new FrozenDataset(v.Kind, v.Id, v.Number, v.RowsImported))],
        };
        var versionIds = used.ToDictionary(v => v.Kind, v => v.Id);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // The rules read the datasets on a second connection while the hits stream into this transaction's COPY (see
        // InsertHitsAsync). Dataset versions never change once ready, so reading them outside the write transaction sees
        // the same rows; one transaction there gives every statement one snapshot and holds the calendar table.
        await using var source = new NpgsqlConnection(db.Database.GetConnectionString());
        await source.OpenAsync(ct);
        await using var reading = await source.BeginTransactionAsync(ct);
        var compiled = runnable.Select(r => (Rule: r, Compiled: RuleCompiler.Compile(r.Definition, versionIds))).ToList();
        var spans = compiled.SelectMany(c => c.Compiled.CalendarSpans).ToList();
        if (spans.Count > 0)
        {
            await BuildCalendarAsync(source, spans, versionIds, ct);
        }
        foreach (var (rule, rc) in compiled)
        {
            var hits = 0;
            var (select, store) = (TimeSpan.Zero, TimeSpan.Zero);
            foreach (var statement in rc.Statements)
            {
                if (await InsertHitsAsync(source, connection, run.Id, rule, statement, ct) is not { } stored)
                {
                    return ApiProblems.RuleViolated("run.too-many-hits",
                        $"规则 {rule.Code} 命中超过 {maxHitsPerStatement:N0} 条：请收窄条件或分批比对 (a rule finding more than {maxHitsPerStatement:N0} hits at once needs narrower conditions).");
                }
                (hits, select, store) = (hits + stored.Hits, select + stored.Select, store + stored.Store);
            }
            run.Rules.Add(new FrozenRule(rule.Code, rule.Version, rule.Name, hits, [.. rc.Statements.Select(s => s.Sql)],
                (long)(select + store).TotalMilliseconds, (long)select.TotalMilliseconds, (long)store.TotalMilliseconds));
        }
        await reading.CommitAsync(ct);
        run.HitCount = run.Rules.Sum(r => r.Hits);
        db.Runs.Add(run);
        await PublishHitsAsync(run, caller.Round, ct);
        audit.Record(db, "comparison.run", "comparison-run", run.Id.ToString(),
            after: new { run.RoundId, run.TargetId, run.HitCount, Rules = run.Rules.Select(r => $"{r.Code}/v{r.Version}"), run.Datasets }, reason: "大数据比对");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/rounds/{run.RoundId}/comparison-runs/{run.Id}",
            new RunSummary(run.Id, run.RoundId, run.TargetId, run.GroupId, run.HitCount, run.Rules, run.Datasets, skipped, run.RanAt));
    }

    /// <summary>
    /// Streams a statement's hits from the select on <paramref name="source"/> into a COPY on the run's transaction,
    /// each hit's summary and evidence references written on the way: the server stores the first hits while the join is
    /// still finding the rest. The select is not an INSERT … SELECT because PostgreSQL runs a plain SELECT with parallel
    /// workers but an INSERT … SELECT on one process, and the join over millions of rows is most of a run; writing the
    /// summaries here cost less than concat() in the query. Null when the statement finds more than the cap: the COPY is
    /// abandoned and the caller's transaction rolls back. The times kept are the select (with the storing that overlaps
    /// it) and what storing took after the last hit.
    /// </summary>
    private async Task<(int Hits, TimeSpan Select, TimeSpan Store)?> InsertHitsAsync(NpgsqlConnection source, NpgsqlConnection target, Guid runId,
        RuleVersion rule, CompiledStatement statement, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var json = new ArrayBufferWriter<byte>(1024);
        var text = new ArrayBufferWriter<byte>(256);
        var summary = new StringBuilder(256);
        var (code, hits) = (Encoding.UTF8.GetBytes(rule.Code), 0);
        // Binary COPY written straight from the reader: the server neither scans nor unescapes text, and the evidence
        // references go from the JSON writer to the wire as UTF-8 without becoming a string. The rows pass through a pipe without
        // back-pressure, so reading never waits on the COPY: a parallel select whose client stops reading stalls its
        // workers too. The pipe holds at most the hits of one statement, which the cap bounds.
        await using var copy = await target.BeginRawBinaryCopyAsync("COPY comparison_hits (id, run_id, rule_code, rule_version, summary, amount, evidence) FROM STDIN (FORMAT BINARY)", ct);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var sending = pipe.Reader.CopyToAsync(copy, ct);
        var writer = new BinaryCopyWriter(pipe.Writer.AsStream());
        writer.Begin();
        try
        {
            await using var select = new NpgsqlCommand($"{statement.Sql} LIMIT {maxHitsPerStatement + 1}", source);
            foreach (var value in statement.Parameters) select.Parameters.Add(new NpgsqlParameter { Value = value });
            select.CommandTimeout = 0; // bounded by the data, not by a guess
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (++hits > maxHitsPerStatement) break;
                if (writer.IsFull) await writer.FlushAsync(ct);
                writer.StartRow(7);
                writer.Uuid(Guid.CreateVersion7()); // time-ordered ids: the key index grows at its end
                writer.Uuid(runId);
                writer.Text(code);
                writer.Int32(rule.Version);
                await writer.TextAsync(Utf8(Summary(reader, statement.Summary, summary), text), ct);
                if (statement.AmountOrdinal < 0 || reader.IsDBNull(statement.AmountOrdinal)) writer.Null();
                else writer.Money(reader.GetDecimal(statement.AmountOrdinal));
                await writer.TextAsync(statement.Evidence.Count == 0
                    ? Utf8(reader.GetString(statement.AmountOrdinal + 1), json)
                    : HitEvidence.References(reader, statement.Evidence, json), ct);
            }
            if (hits <= maxHitsPerStatement) await writer.CompleteAsync(ct);
        }
        catch (Exception e)
        {
            await AbandonAsync(pipe, sending, copy, e);
            throw;
        }
        if (hits > maxHitsPerStatement)
        {
            await AbandonAsync(pipe, sending, copy, null); // the caller's transaction rolls back the rest
            return null;
        }
        var selected = System.Diagnostics.Stopwatch.GetTimestamp();
        await pipe.Writer.CompleteAsync();
        await sending;
        await copy.DisposeAsync(); // ends the COPY: the server has the last rows
        return (hits, System.Diagnostics.Stopwatch.GetElapsedTime(started, selected), System.Diagnostics.Stopwatch.GetElapsedTime(selected));
    }

    /// <summary>Stops the pipe and cancels the COPY (CopyFail): the server drops it, a half-written row is never ended as if whole.</summary>
    private static async Task AbandonAsync(Pipe pipe, Task sending, NpgsqlRawCopyStream copy, Exception? failure)
    {
        await pipe.Writer.CompleteAsync(failure ?? new OperationCanceledException("comparison run abandoned"));
        try
        {
            await sending;
        }
        catch
        {
            // The pipe was completed with the failure, or the send failed for the same reason the run did.
        }
        await copy.CancelAsync();
    }

    /// <summary>A hit's summary from its parts, each value written as PostgreSQL's ::text would (concat() skips a null).</summary>
    private static string Summary(NpgsqlDataReader reader, IReadOnlyList<SummaryPart> parts, StringBuilder text)
    {
        text.Clear();
        foreach (var part in parts)
        {
            if (part.Text is not null) text.Append(part.Text);
            else if (reader.IsDBNull(part.Ordinal)) continue;
            else if (part.Type == ColumnType.Date) text.Append(reader.GetFieldValue<DateOnly>(part.Ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            else if (part.Type == ColumnType.Money) text.Append(reader.GetDecimal(part.Ordinal).ToString(CultureInfo.InvariantCulture));
            else text.Append(reader.GetString(part.Ordinal));
        }
        return text.ToString();
    }

    private static ReadOnlyMemory<byte> Utf8(string value, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length))));
        return buffer.WrittenMemory;
    }

    private static IEnumerable<string> Needs(RuleDefinition d) => [d.Dataset, .. d.AnyOf.Select(c => c.Dataset)];

    /// <summary>
    /// The shared working calendar as a table over the dates the rules look at: idx counts working days up to each day,
    /// so "working days after x up to y" is idx(y) − idx(x) — the same answer as WorkingCalendar.WorkingDaysBetween.
    /// </summary>
    private async Task BuildCalendarAsync(NpgsqlConnection connection, IReadOnlyList<CalendarSpan> spans, IReadOnlyDictionary<string, Guid> versions, CancellationToken ct)
    {
        DateOnly? first = null, last = null;
        foreach (var span in spans.Distinct())
        {
            await using var range = new NpgsqlCommand(
                $"SELECT least(min({span.From}), min({span.To})), greatest(max({span.From}), max({span.To})) FROM {span.Kind.Table} WHERE version_id = $1", connection);
            range.Parameters.Add(new NpgsqlParameter { Value = versions[span.Kind.Code] });
            await using var reader = await range.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.IsDBNull(0)) continue;
            var (from, to) = (reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1));
            first = first is null || from < first ? from : first;
            last = last is null || to > last ? to : last;
        }
        var days = new List<DateOnly>();
        var idx = new List<int>();
        if (first is not null)
        {
            var count = 0;
            for (var day = first.Value; day <= last!.Value; day = day.AddDays(1))
            {
                if (day > first.Value && calendar.IsWorkingDay(day)) count++;
                days.Add(day);
                idx.Add(count);
            }
        }
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {RuleCompiler.CalendarTable} (day date PRIMARY KEY, idx int NOT NULL) ON COMMIT DROP", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await using var fill = new NpgsqlCommand($"INSERT INTO {RuleCompiler.CalendarTable} SELECT * FROM unnest($1::date[], $2::int[])", connection);
        fill.Parameters.Add(new NpgsqlParameter { Value = days.ToArray() });
        fill.Parameters.Add(new NpgsqlParameter { Value = idx.ToArray() });
        await fill.ExecuteNonQueryAsync(ct);
    }

    private async Task PublishHitsAsync(ComparisonRun run, RoundView round, CancellationToken ct)
    {
        if (run.HitCount == 0) return;
        var hits = await db.Hits.AsNoTracking().Where(h => h.RunId == run.Id).OrderBy(h => h.RuleCode).ThenBy(h => h.Summary)
            .Select(h => new ComparisonHit { HitId = h.Id, Rule = h.RuleCode, Summary = h.Summary, Amount = h.Amount }).ToListAsync(ct);
        foreach (var chunk in hits.Chunk(HitsPerEvent))
        {
            db.AddEvent(new ComparisonHitsFound
            {
                RunId = run.Id, RoundId = run.RoundId, GroupId = run.GroupId, TargetId = run.TargetId,
                Jurisdiction = round.Jurisdiction, Hits = chunk, FoundAt = run.RanAt,
            });
        }
    }
}
