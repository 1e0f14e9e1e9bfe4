using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Xuncha.Planning.Data;

namespace Xuncha.Planning.Targets;

/// <summary>Bulk import: every row is judged; the file is written whole or not at all.</summary>
public static class TargetImport
{
    public sealed record Outcome(int Rows, int Accepted, int Rejected, int Created, int Updated, IReadOnlyList<RowResult> Results);

    public static async Task<(Outcome Outcome, List<Target> Accepted)> JudgeAsync(PlanningDb db, ClaimsPrincipal user, IReadOnlyList<TargetFile.RawRow> rows, CancellationToken ct)
    {
        var results = new Dictionary<int, RowResult>();
        var drafts = new List<(int Row, TargetDraft Draft)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var (draft, reason) = TargetPlacement.Parse(row);
            if (draft is null) results[row.Row] = RowResult.Rejected(row.Row, row["code"], reason!);
            else if (seen.TryGetValue(draft.Code, out var first)) results[row.Row] = RowResult.Rejected(row.Row, draft.Code, $"The code is already on row {first}.");
            else
            {
                seen[draft.Code] = row.Row;
                drafts.Add((row.Row, draft));
            }
        }
        var placement = await TargetPlacement.LoadAsync(db, user, drafts.SelectMany(d => new[] { d.Draft.Code, d.Draft.ParentCode }), ct);
        var (placed, rejected) = placement.PlaceAll(drafts);
        var codeOf = drafts.ToDictionary(d => d.Row, d => d.Draft.Code);
        foreach (var (row, reason) in rejected) results[row] = RowResult.Rejected(row, codeOf[row], reason);
        foreach (var (row, target) in placed) results[row] = RowResult.Accepted(row, target.Code);
        var created = placed.Values.Count(t => !placement.Exists(t.Code));
        var ordered = results.Values.OrderBy(r => r.Row).ToList();
        var accepted = ordered.Count(r => r.Status == "accepted");
        return (new Outcome(rows.Count, accepted, ordered.Count - accepted, created, accepted - created, ordered), [.. placed.Values]);
    }

    /// <summary>
    /// Writes the accepted targets in the caller's transaction: binary COPY into a scratch table, then one upsert on the
    /// code — 20,000 rows in well under a second, where row-by-row inserts take many.
    /// </summary>
    public static async Task WriteAsync(PlanningDb db, IReadOnlyList<Target> targets, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("""
            CREATE TEMP TABLE import_targets (
                id uuid, code text, parent_code text, name text, kind text, jurisdiction_path text[], county text,
                economic_size numeric, petitions int, projects int, special_funds numeric, weak_party_organisation bool, data_anomaly bool,
                updated_at timestamptz) ON COMMIT DROP
            """, ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY import_targets (id, code, parent_code, name, kind, jurisdiction_path, county, economic_size, petitions, projects, special_funds, weak_party_organisation, data_anomaly, updated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var t in targets)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(t.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(t.Code, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.ParentCode, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.Name, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.Kind.ToString(), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.JurisdictionPath, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.County, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.Attributes.EconomicSize, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(t.Attributes.Petitions, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(t.Attributes.Projects, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(t.Attributes.SpecialFunds, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(t.Attributes.WeakPartyOrganisation, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(t.Attributes.DataAnomaly, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(t.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO targets (id, code, parent_code, name, kind, jurisdiction_path, county, economic_size, petitions, projects, special_funds,
                                 weak_party_organisation, data_anomaly, updated_at)
            SELECT id, code, parent_code, name, kind, jurisdiction_path, county, economic_size, petitions, projects, special_funds,
                   weak_party_organisation, data_anomaly, updated_at FROM import_targets
            ON CONFLICT (code) DO UPDATE SET
                name = EXCLUDED.name, economic_size = EXCLUDED.economic_size, petitions = EXCLUDED.petitions, projects = EXCLUDED.projects,
                special_funds = EXCLUDED.special_funds, weak_party_organisation = EXCLUDED.weak_party_organisation,
                data_anomaly = EXCLUDED.data_anomaly, updated_at = EXCLUDED.updated_at
            """, ct);
    }
}
