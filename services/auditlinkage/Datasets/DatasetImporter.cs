using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuncha.AuditLinkage.Data;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.AuditLinkage.Datasets;

public sealed record ImportSummary(Guid VersionId, string Kind, int Number, ImportStatus Status, long RowsRead, long RowsImported, long RowsRejected,
    IReadOnlyList<RowError> FirstErrors);

public sealed record RowError(long Line, string Column, string Message);

/// <summary>
/// Streams a provider's file into the kind's typed table with binary COPY: rows are parsed, checked and written one by
/// one while the upload is still arriving. Each version is a partition of that table, committed whole or not at all; the
/// version row shows progress (rows read, imported, rejected) on a second connection while the COPY runs.
/// </summary>
public sealed class DatasetImporter(AuditDb db, IdentityNumbers identityNumbers, AuditTrail audit, TimeProvider clock, IConfiguration configuration,
    ILogger<DatasetImporter> logger)
{
    private const int StoredErrors = 1000;
    private readonly int progressEveryRows = configuration.GetValue("AuditLinkage:ProgressEveryRows", 20_000);

    internal async Task<IResult> ImportAsync(Guid roundId, DatasetKind kind, ITabularSource source, string format, string? fileName, string actor, CancellationToken ct)
    {
        var header = await source.ReadHeaderAsync(ct);
        var positions = MapHeader(kind, header ?? [], out var missing);
        if (missing.Count > 0)
        {
            return ApiProblems.RuleViolated("dataset.header",
                $"The file's first row must name the columns of {kind.Label}; missing: {string.Join(", ", missing.Select(c => $"{c.Label} ({c.Name})"))}.");
        }

        var number = await db.DatasetVersions.Where(v => v.RoundId == roundId && v.Kind == kind.Code).MaxAsync(v => (int?)v.Number, ct) ?? 0;
        var version = new DatasetVersion
        {
            Id = Guid.CreateVersion7(), RoundId = roundId, Kind = kind.Code, Number = number + 1, Status = ImportStatus.Importing,
            Format = format, FileName = fileName, ImportedBy = actor, StartedAt = clock.GetUtcNow(),
        };
        db.DatasetVersions.Add(version);
        audit.Record(db, "dataset.import-started", "dataset-version", version.Id.ToString(), after: new { kind.Code, version.Number, fileName }, reason: "导入比对数据");
        await db.SaveChangesAsync(ct);

        var errors = new List<RowError>();
        try
        {
            await CopyRowsAsync(kind, positions, source, version, errors, ct);
        }
        catch (InvalidDataException e)
        {
            await FinishAsync(version, ImportStatus.Failed, errors, e.Message);
            return ApiProblems.RuleViolated("dataset.malformed", e.Message);
        }
        catch (Exception e)
        {
            await FinishAsync(version, ImportStatus.Failed, errors, e is OperationCanceledException ? "导入被取消 cancelled" : e.Message);
            throw;
        }
        if (version.RowsImported == 0)
        {
            await FinishAsync(version, ImportStatus.Failed, errors, "没有有效数据行 no valid rows");
            return ApiProblems.RuleViolated("dataset.no-valid-rows",
                $"No row of the file could be imported ({version.RowsRejected} rejected); see /rounds/{roundId}/datasets/{kind.Code}/versions/{version.Number}/errors.");
        }
        await FinishAsync(version, ImportStatus.Ready, errors, null);
        return TypedResults.Created($"/rounds/{roundId}/datasets/{kind.Code}/versions/{version.Number}", Summarise(version, errors));
    }

    internal static ImportSummary Summarise(DatasetVersion v, IReadOnlyList<RowError> errors) =>
        new(v.Id, v.Kind, v.Number, v.Status, v.RowsRead, v.RowsImported, v.RowsRejected, [.. errors.Take(20)]);

    /// <summary>Each catalogue column's position in the file, by its English name or its Chinese label.</summary>
    private static int[] MapHeader(DatasetKind kind, IReadOnlyList<string> header, out List<DatasetColumn> missing)
    {
        missing = [];
        var positions = new int[kind.Columns.Count];
        for (var i = 0; i < kind.Columns.Count; i++)
        {
            var column = kind.Columns[i];
            positions[i] = header.Select((h, index) => (h: h.Trim().TrimStart('\uFEFF'), index))
                .Where(x => x.h.Equals(column.Name, StringComparison.OrdinalIgnoreCase) || x.h == column.Label)
                .Select(x => x.index).DefaultIfEmpty(-1).First();
            if (positions[i] < 0 && column.Required) missing.Add(column);
        }
        return positions;
    }

    /// <summary>
    /// The version's rows go into a partition of their own, created, filled and attached in one transaction: a failed
    /// or empty import leaves nothing behind, and COPY FREEZE writes rows already frozen into a table that no other
    /// transaction can see yet. Attaching takes only a SHARE UPDATE EXCLUSIVE lock on the kind's table, so runs reading
    /// other versions go on, and the CHECK constraint spares the attach a scan of the rows.
    /// </summary>
    private async Task CopyRowsAsync(DatasetKind kind, int[] positions, ITabularSource source, DatasetVersion version, List<RowError> errors, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var partition = kind.PartitionFor(version.Id);
        await ExecuteAsync(connection, $"CREATE TABLE {partition} (LIKE {kind.Table}, CHECK (version_id = '{version.Id}'))", ct);
        long rejected = 0, imported = 0, read = 0;
        await using (var copy = await connection.BeginRawBinaryCopyAsync(
            $"COPY {partition} ({string.Join(", ", kind.StoredColumns)}) FROM STDIN (FORMAT BINARY, FREEZE)", ct))
        {
            var writer = new BinaryCopyWriter(copy);
            var rows = new DatasetRowEncoder(kind, positions, writer, identityNumbers.CreateHasher());
            var progress = new ImportProgress(this, version.Id, logger);
            try
            {
                writer.Begin();
                while (await source.ReadAsync(ct))
                {
                    read++;
                    if (rows.Write(source, version.Id) is { } error)
                    {
                        rejected++;
                        if (errors.Count < StoredErrors) errors.Add(error);
                    }
                    else
                    {
                        imported++;
                        await rows.FlushIfFullAsync(ct);
                    }
                    if (read % progressEveryRows == 0 || (read & 1023) == 0 && progress.Due) progress.Report(read, imported, rejected, ct);
                }
                await rows.CompleteAsync(ct);
            }
            catch
            {
                await writer.AbandonAsync();
                // CopyFail: the server discards every row of this COPY.
                await copy.CancelAsync();
                throw;
            }
            finally
            {
                await progress.DisposeAsync();
            }
        }
        if (imported > 0)
        {
            await ExecuteAsync(connection, $"ALTER TABLE {kind.Table} ATTACH PARTITION {partition} FOR VALUES IN ('{version.Id}')", ct);
            await tx.CommitAsync(ct);
        }
        version.RowsRead = read;
        version.RowsImported = imported;
        version.RowsRejected = rejected;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Progress on the version row, every so many rows or at least every second, without holding up the COPY: an update
    /// runs in the background, and one that comes due while the last is still running is skipped.
    /// </summary>
    private sealed class ImportProgress(DatasetImporter importer, Guid versionId, ILogger logger) : IAsyncDisposable
    {
        private readonly Stopwatch sinceLast = Stopwatch.StartNew();
        private Task running = Task.CompletedTask;

        public bool Due => sinceLast.ElapsedMilliseconds > 1000;

        public void Report(long read, long imported, long rejected, CancellationToken ct)
        {
            if (!running.IsCompleted) return;
            sinceLast.Restart();
            running = ReportAsync(read, imported, rejected, ct);
        }

        private async Task ReportAsync(long read, long imported, long rejected, CancellationToken ct)
        {
            try
            {
                await importer.ReportProgressAsync(versionId, read, imported, rejected, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Progress is advisory: the import goes on, and FinishAsync records its outcome either way.
                logger.LogWarning(e, "Progress of dataset version {VersionId} could not be recorded", versionId);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // The import itself is being cancelled; that is reported by the caller.
            }
        }
    }

    // On the context's own connection, not the one busy with COPY, and outside any transaction: readers see it at once.
    private Task ReportProgressAsync(Guid versionId, long read, long imported, long rejected, CancellationToken ct) =>
        db.DatasetVersions.Where(v => v.Id == versionId).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.RowsRead, read).SetProperty(v => v.RowsImported, imported).SetProperty(v => v.RowsRejected, rejected), ct);

    private async Task FinishAsync(DatasetVersion version, ImportStatus status, List<RowError> errors, string? failure)
    {
        version.Status = status;
        version.Failure = failure;
        version.FinishedAt = clock.GetUtcNow();
        db.ImportErrors.AddRange(errors.Select(e => new ImportError { VersionId = version.Id, Line = e.Line, Column = e.Column, Message = e.Message }));
        audit.Record(db, status == ImportStatus.Ready ? "dataset.imported" : "dataset.import-failed", "dataset-version", version.Id.ToString(),
            after: new { version.Kind, version.Number, version.RowsRead, version.RowsImported, version.RowsRejected, failure }, reason: "导入比对数据");
        // The outcome is recorded even when the request itself was cancelled.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
