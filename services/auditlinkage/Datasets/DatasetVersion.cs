namespace Xuncha.AuditLinkage.Datasets;

public enum ImportStatus { Importing, Ready, Failed }

/// <summary>
/// One import of one dataset kind for a round: numbered, immutable once ready. Runs name the versions they used, so a
/// later import never changes an earlier run's evidence.
/// </summary>
public sealed class DatasetVersion
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public required string Kind { get; init; }
    public int Number { get; init; }
    public ImportStatus Status { get; set; }
    public required string Format { get; init; }
    public string? FileName { get; init; }
    public long RowsRead { get; set; }
    public long RowsImported { get; set; }
    public long RowsRejected { get; set; }
    public string? Failure { get; set; }
    public required string ImportedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>A rejected source row: its line, the column and why. Only the first rows are kept; the count is exact.</summary>
public sealed class ImportError
{
    public long Id { get; private set; }
    public Guid VersionId { get; init; }
    public long Line { get; init; }
    public required string Column { get; init; }
    public required string Message { get; init; }
}
