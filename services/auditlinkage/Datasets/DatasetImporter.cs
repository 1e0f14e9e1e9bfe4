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
/// one while the upload is still arriving. The COPY is one statement, so a failed import leaves no rows; the version row
/// shows progress (rows read, imported, rejected) on a second connection while the COPY runs.
/// </summary>
public sealed class DatasetImporter(AuditDb db, IdentityNumbers identityNumbers, AuditTrail audit, TimeProvider clock, IConfiguration configuration)
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

    private async Task CopyRowsAsync(DatasetKind kind, int[] positions, ITabularSource source, DatasetVersion version, List<RowError> errors, CancellationToken ct)
    {
        var columns = kind.Columns;
        var texts = new string?[columns.Count];
        var dates = new DateOnly?[columns.Count];
        var amounts = new decimal?[columns.Count];
        var hashes = columns.Select(_ => new byte[32]).ToArray();
        using var hasher = identityNumbers.CreateHasher();
        var normalized = new char[18];

        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        var stored = columns.SelectMany(c => c.StoredColumns).ToList();
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            $"COPY {kind.Table} (version_id, line, {string.Join(", ", stored)}) FROM STDIN (FORMAT BINARY)", ct);
        var writer = new BinaryCopyWriter(copy);
        var fieldCount = (short)(2 + stored.Count);
        var progress = Stopwatch.StartNew();
        long rejected = 0, imported = 0, read = 0;
        try
        {
            writer.Begin();
            while (await source.ReadAsync(ct))
            {
                read++;
                var error = ParseRow(columns, positions, source, texts, dates, amounts, hashes, hasher, normalized);
                if (error is not null)
                {
                    rejected++;
                    if (errors.Count < StoredErrors) errors.Add(error);
                }
                else
                {
                    writer.StartRow(fieldCount);
                    writer.Uuid(version.Id);
                    writer.Int64(source.Line);
                    for (var i = 0; i < columns.Count; i++)
                    {
                        switch (columns[i].Type)
                        {
                            case ColumnType.Text: if (texts[i] is { } text) writer.Text(text); else writer.Null(); break;
                            case ColumnType.IdNumber: writer.Bytes(hashes[i]); writer.Text(texts[i]!); break;
                            case ColumnType.Date: if (dates[i] is { } date) writer.Date(date); else writer.Null(); break;
                            case ColumnType.Money: if (amounts[i] is { } amount) writer.Money(amount); else writer.Null(); break;
                        }
                    }
                    imported++;
                    await writer.FlushIfFullAsync(ct);
                }
                if (read % progressEveryRows == 0 || progress.ElapsedMilliseconds > 1000)
                {
                    await ReportProgressAsync(version.Id, read, imported, rejected, ct);
                    progress.Restart();
                }
            }
            await writer.CompleteAsync(ct);
        }
        catch
        {
            // CopyFail: the server discards every row of this COPY.
            await copy.CancelAsync();
            throw;
        }
        version.RowsRead = read;
        version.RowsImported = imported;
        version.RowsRejected = rejected;
    }

    /// <summary>Checks and converts one source row into the slot arrays; the first problem found is the row's error.</summary>
    private static RowError? ParseRow(IReadOnlyList<DatasetColumn> columns, int[] positions, ITabularSource source, string?[] texts, DateOnly?[] dates,
        decimal?[] amounts, byte[][] hashes, IdentityNumbers.Hasher hasher, char[] normalized)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var raw = positions[i] < 0 ? "" : source.Field(positions[i]).Trim();
            texts[i] = null; dates[i] = null; amounts[i] = null;
            if (raw.Length == 0)
            {
                if (column.Required) return new RowError(source.Line, column.Name, $"{column.Label}不能为空 (required)");
                continue;
            }
            switch (column.Type)
            {
                case ColumnType.Text:
                    if (raw.Length > 500) return new RowError(source.Line, column.Name, $"{column.Label}超过500字 (too long)");
                    texts[i] = raw;
                    break;
                case ColumnType.IdNumber:
                    if (!IdentityNumbers.TryNormalize(raw, normalized)) return new RowError(source.Line, column.Name, $"{column.Label}不是有效的18位身份证号 (invalid identity number)");
                    hasher.Hash(normalized, hashes[i]);
                    texts[i] = IdentityNumbers.Mask(normalized);
                    break;
                case ColumnType.Date:
                    if (!FieldParsers.TryDate(raw, out var date)) return new RowError(source.Line, column.Name, $"{column.Label}不是有效日期 (invalid date)");
                    dates[i] = date;
                    break;
                case ColumnType.Money:
                    if (!FieldParsers.TryMoney(raw, out var amount)) return new RowError(source.Line, column.Name, $"{column.Label}不是有效金额 (invalid amount)");
                    amounts[i] = amount;
                    break;
            }
        }
        return null;
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
