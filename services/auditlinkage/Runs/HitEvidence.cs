using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Datasets;
using Xuncha.AuditLinkage.Rules;

namespace Xuncha.AuditLinkage.Runs;

/// <summary>
/// A hit's evidence: the dataset rows it was found in, as imported. A run stores a collision hit's evidence as references
/// — {"refs":[["subsidy-payments",401099],["death-registry",1099]]} — to lines of the dataset versions the run froze,
/// which never change; they are read back as rows when hits are listed. Writing each hit's rows as JSON in the run cost
/// more than the rest of storing it. A duplicate group's evidence is stored as rows, aggregated by its query.
/// </summary>
public static class HitEvidence
{
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }; // 中文 stays readable

    /// <summary>The references of one hit: each evidence source's dataset and the line at its first column.</summary>
    internal static ReadOnlyMemory<byte> References(NpgsqlDataReader reader, IReadOnlyList<EvidenceSource> sources, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, Writing))
        {
            json.WriteStartObject();
            json.WriteStartArray("refs");
            foreach (var source in sources)
            {
                json.WriteStartArray();
                json.WriteStringValue(source.Dataset);
                json.WriteNumberValue(reader.GetInt64(source.Columns[0].Ordinal));
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// The hits' evidence as rows — [{"dataset":…,"line":…,"row":{"line":…,column:value…}}…] — each dataset version read
    /// once for all the lines the page of hits refers to.
    /// </summary>
    internal static async Task<IReadOnlyList<JsonNode?>> ExpandAsync(AuditDb db, ComparisonRun run, IReadOnlyList<ComparisonHitRow> hits, CancellationToken ct)
    {
        var parsed = hits.Select(h => JsonNode.Parse(h.Evidence)).ToList();
        var wanted = new Dictionary<string, HashSet<long>>();
        foreach (var refs in parsed.Select(RefsOf).OfType<JsonArray>())
        {
            foreach (var r in refs)
            {
                var kind = r![0]!.GetValue<string>();
                if (!wanted.TryGetValue(kind, out var lines)) wanted[kind] = lines = [];
                lines.Add(r[1]!.GetValue<long>());
            }
        }
        if (wanted.Count == 0) return parsed;

        var rows = new Dictionary<(string Kind, long Line), JsonNode?>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var (code, lines) in wanted)
        {
            var kind = DatasetCatalog.Find(code)!;
            var columns = RuleCompiler.EvidenceColumns(kind).Select((c, i) => c with { Ordinal = i }).ToList();
            await using var select = new NpgsqlCommand(
                $"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {kind.Table} WHERE version_id = $1 AND line = ANY($2)", connection);
            select.Parameters.Add(new NpgsqlParameter { Value = run.Datasets.Single(d => d.Kind == code).VersionId });
            select.Parameters.Add(new NpgsqlParameter { Value = lines.ToArray() });
            await using var reader = await select.ExecuteReaderAsync(ct);
            EvidenceSource[] source = [new(code, columns)];
            while (await reader.ReadAsync(ct))
            {
                rows[(code, reader.GetInt64(0))] = JsonNode.Parse(Rows(reader, source, buffer).Span)![0]!.DeepClone();
            }
        }
        return [.. parsed.Select(node => RefsOf(node) is { } refs
            ? new JsonArray([.. refs.Select(r => rows.GetValueOrDefault((r![0]!.GetValue<string>(), r[1]!.GetValue<long>()))?.DeepClone())])
            : node)];
    }

    private static JsonArray? RefsOf(JsonNode? evidence) => evidence is JsonObject o ? o["refs"] as JsonArray : null;

    /// <summary>Evidence rows as JSON from the sources' columns of the current row, as the rows were imported.</summary>
    internal static ReadOnlyMemory<byte> Rows(NpgsqlDataReader reader, IReadOnlyList<EvidenceSource> sources, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, Writing))
        {
            json.WriteStartArray();
            foreach (var source in sources)
            {
                json.WriteStartObject();
                json.WriteString("dataset", source.Dataset);
                json.WriteNumber("line", reader.GetInt64(source.Columns[0].Ordinal));
                json.WriteStartObject("row");
                foreach (var column in source.Columns)
                {
                    var ordinal = column.Ordinal;
                    json.WritePropertyName(column.Name);
                    if (reader.IsDBNull(ordinal)) json.WriteNullValue();
                    else if (column.Name == "line") json.WriteNumberValue(reader.GetInt64(ordinal));
                    else if (column.Type == ColumnType.Money) json.WriteNumberValue(reader.GetDecimal(ordinal));
                    else if (column.Type == ColumnType.Date) json.WriteStringValue(reader.GetFieldValue<DateOnly>(ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    else json.WriteStringValue(reader.GetString(ordinal));
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.WrittenMemory;
    }
}
