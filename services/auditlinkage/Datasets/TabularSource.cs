namespace Xuncha.AuditLinkage.Datasets;

/// <summary>Rows of a CSV or Excel file, one at a time: the header first, then data rows with their line numbers.</summary>
internal interface ITabularSource : IAsyncDisposable
{
    ValueTask<IReadOnlyList<string>?> ReadHeaderAsync(CancellationToken ct);
    ValueTask<bool> ReadAsync(CancellationToken ct);
    /// <summary>
    /// The field at <paramref name="index"/> of the current row as valid UTF-8 (empty when the row is shorter); valid
    /// until the next read.
    /// </summary>
    ReadOnlySpan<byte> Field(int index);
    long Line { get; }
}
