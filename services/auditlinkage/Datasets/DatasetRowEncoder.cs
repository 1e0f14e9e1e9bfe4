using System.Text;

namespace Xuncha.AuditLinkage.Datasets;

/// <summary>
/// Checks and converts one source row, field by field from its UTF-8, straight into a binary COPY row of the kind's
/// table. The first problem found is the row's error, and the partly written row is taken back. Identity numbers are
/// hashed in batches (<see cref="IdentityNumbers.Hasher"/>) into slots of the row; <see cref="FlushIfFullAsync"/> fills
/// them before a buffer leaves.
/// </summary>
internal sealed class DatasetRowEncoder(DatasetKind kind, int[] positions, BinaryCopyWriter writer, IdentityNumbers.Hasher hasher)
{
    private const int MaxTextCharacters = 500;
    private readonly IReadOnlyList<DatasetColumn> columns = kind.Columns;
    private readonly short fieldCount = (short)(2 + kind.Columns.Sum(c => c.StoredColumns.Count()));
    private readonly byte[] normalized = new byte[IdentityNumbers.Length];
    private readonly byte[] masked = new byte[IdentityNumbers.Length];

    public RowError? Write(ITabularSource source, Guid versionId)
    {
        var rowStart = writer.Position;
        var hashMark = hasher.Mark;
        writer.StartRow(fieldCount);
        writer.Uuid(versionId);
        writer.Int64(source.Line);
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var raw = positions[i] < 0 ? default : FieldParsers.Trim(source.Field(positions[i]));
            var error = raw.IsEmpty ? Empty(column) : Value(column, raw);
            if (error is not null)
            {
                writer.Rewind(rowStart);
                hasher.Undo(hashMark);
                return new RowError(source.Line, column.Name, error);
            }
        }
        return null;
    }

    private string? Empty(DatasetColumn column)
    {
        if (column.Required) return $"{column.Label}不能为空 (required)";
        writer.Null();
        if (column.Type == ColumnType.IdNumber) writer.Null(); // hash and masked form
        return null;
    }

    private string? Value(DatasetColumn column, ReadOnlySpan<byte> raw)
    {
        switch (column.Type)
        {
            case ColumnType.Text:
                // UTF-16 length as before: never more characters than bytes, so only long fields are counted.
                if (raw.Length > MaxTextCharacters && Encoding.UTF8.GetCharCount(raw) > MaxTextCharacters) return $"{column.Label}超过500字 (too long)";
                writer.Text(raw);
                return null;
            case ColumnType.IdNumber:
                if (!IdentityNumbers.TryNormalize(raw, normalized)) return $"{column.Label}不是有效的18位身份证号 (invalid identity number)";
                hasher.Add(normalized, writer.Buffer, writer.HashSlot());
                IdentityNumbers.Mask(normalized, masked);
                writer.Text(masked);
                return null;
            case ColumnType.Date:
                if (!FieldParsers.TryDate(raw, out var date)) return $"{column.Label}不是有效日期 (invalid date)";
                writer.Date(date);
                return null;
            case ColumnType.Money:
                if (!FieldParsers.TryMoneyCents(raw, out var cents)) return $"{column.Label}不是有效金额 (invalid amount)";
                writer.Money(cents);
                return null;
            default:
                throw new InvalidOperationException($"Column type {column.Type} has no encoding.");
        }
    }

    /// <summary>Between rows: a full buffer is sent once its hashes are in.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken ct)
    {
        if (!writer.IsFull) return ValueTask.CompletedTask;
        hasher.Complete();
        return writer.FlushAsync(ct);
    }

    public ValueTask CompleteAsync(CancellationToken ct)
    {
        hasher.Complete();
        return writer.CompleteAsync(ct);
    }
}
