using Xuncha.ServiceDefaults.Http;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Data;

namespace Xuncha.Staffing.Cadres;

/// <summary>Import and export of the pool as CSV or .xlsx. An import is all or nothing, and says for every row what happened or what is wrong.</summary>
public static class CadreFiles
{
    public const int MaxRows = 5000;
    public const long MaxImportBytes = 10 * 1024 * 1024;

    public sealed record RowResult(int Row, string Status, Guid? CadreId, string? Name, IReadOnlyDictionary<string, string[]>? Errors);
    public sealed record ImportResult(int Created, int Updated, int Invalid, IReadOnlyList<RowResult> Rows);

    public static void MapCadreFiles(this RouteGroupBuilder cadres)
    {
        cadres.MapPost("/import", Import).WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));
        cadres.MapGet("/export", Export);
    }

    private static async Task<IResult> Import(HttpContext http, StaffingDb db, IdentityNumberHasher hasher, AuditTrail audit, string? reason, CancellationToken ct)
    {
        var type = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not (CadreTable.CsvType or CadreTable.XlsxType))
        {
            return TypedResults.Problem($"Send the file as the body with Content-Type {CadreTable.CsvType} or {CadreTable.XlsxType}.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "不支持的文件类型");
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        body.Position = 0;
        List<Dictionary<string, string>> table;
        try
        {
            table = CadreTable.Read(body, type == CadreTable.XlsxType);
        }
        catch (FormatException e)
        {
            return Problems.Invalid("file", e.Message);
        }
        if (table.Count == 0) return Problems.Invalid("file", "no data rows");
        if (table.Count > MaxRows) return Problems.Invalid("file", $"at most {MaxRows} rows per import");
        var missing = new[] { CadreTable.Name, CadreTable.Path, CadreTable.UnitCode, CadreTable.SpecialtiesColumn }.Where(c => !table[0].ContainsKey(c)).ToList();
        if (missing.Count > 0) return Problems.Invalid("file", $"missing columns: {string.Join(", ", missing)}");

        var results = new List<RowResult>();
        var pending = new List<(int Row, CadreInput Input, string? Hash)>();
        var seenHashes = new Dictionary<string, int>();
        for (var r = 0; r < table.Count; r++)
        {
            var row = r + 2; // the header is row 1
            var (input, parseErrors) = Parse(table[r]);
            var errors = parseErrors;
            if (input is not null)
            {
                foreach (var (k, v) in CadreValidation.Validate(input)) errors[k] = v;
                if (!http.User.Oversees(input.JurisdictionPath)) errors[CadreTable.Path] = ["outside your jurisdiction"];
            }
            var hash = input?.IdentityNumber is { Length: > 0 } id && IdentityNumberHasher.IsValid(id) ? hasher.Hash(id) : null;
            if (hash is not null && seenHashes.TryGetValue(hash, out var first)) errors[CadreTable.IdentityNumber] = [$"same identity number as row {first}"];
            if (hash is not null) seenHashes.TryAdd(hash, row);
            if (errors.Count > 0 || input is null)
            {
                results.Add(new RowResult(row, "invalid", null, input?.Name, errors));
                continue;
            }
            pending.Add((row, input, hash));
            results.Add(new RowResult(row, "pending", null, input.Name, null));
        }

        var hashes = pending.Where(p => p.Hash is not null).Select(p => p.Hash!).ToList();
        var existing = await db.Cadres.Where(c => c.IdentityHash != null && hashes.Contains(c.IdentityHash)).ToDictionaryAsync(c => c.IdentityHash!, ct);
        foreach (var (row, input, hash) in pending)
        {
            var index = results.FindIndex(x => x.Row == row);
            if (hash is not null && existing.TryGetValue(hash, out var match) && !http.User.Oversees(match.JurisdictionPath))
            {
                results[index] = results[index] with { Status = "invalid", Errors = new Dictionary<string, string[]> { [CadreTable.IdentityNumber] = ["belongs to a cadre outside your jurisdiction"] } };
            }
        }
        var invalid = results.Count(x => x.Status == "invalid");
        if (invalid > 0)
        {
            return TypedResults.Problem($"{invalid} of {results.Count} rows are invalid; nothing was imported.", statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "导入数据有误", extensions: new Dictionary<string, object?> { ["rows"] = results.Where(x => x.Status == "invalid").ToList() });
        }

        int created = 0, updated = 0;
        foreach (var (row, input, hash) in pending)
        {
            var index = results.FindIndex(x => x.Row == row);
            if (hash is not null && existing.TryGetValue(hash, out var cadre))
            {
                var before = CadreView.Of(cadre);
                CadreValidation.Apply(input with { Services = cadre.Services }, cadre, hasher);
                audit.Record(db, "cadre.imported", "cadre", cadre.Id.ToString(), before, CadreView.Of(cadre), reason ?? $"导入第{row}行");
                results[index] = results[index] with { Status = "updated", CadreId = cadre.Id };
                updated++;
            }
            else
            {
                cadre = new Cadre { Id = Guid.CreateVersion7(), Name = "", CurrentUnitCode = "" };
                CadreValidation.Apply(input, cadre, hasher);
                db.Cadres.Add(cadre);
                audit.Record(db, "cadre.imported", "cadre", cadre.Id.ToString(), after: CadreView.Of(cadre), reason: reason ?? $"导入第{row}行");
                results[index] = results[index] with { Status = "created", CadreId = cadre.Id };
                created++;
            }
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ImportResult(created, updated, 0, results));
    }

    private static async Task<IResult> Export(HttpContext http, StaffingDb db, AuditTrail audit, string? format, CancellationToken ct)
    {
        if (format is not (null or "csv" or "xlsx")) return Problems.Invalid("format", "csv or xlsx");
        var mine = http.User.Jurisdiction();
        var cadres = await db.Cadres.AsNoTracking().Where(c => c.JurisdictionPath.Contains(mine) && !c.Archived).OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(ct);
        var rows = cadres.Select(Row);
        // A bulk read of personal data is itself recorded.
        audit.Record(db, "cadres.exported", "cadre-pool", mine, after: new { count = cadres.Count, format = format ?? "csv" });
        await db.SaveChangesAsync(ct);
        return format == "xlsx"
            ? TypedResults.File(CadreTable.WriteXlsx(rows), CadreTable.XlsxType, "巡察人才库.xlsx")
            : TypedResults.File(CadreTable.WriteCsv(rows), CadreTable.CsvType + "; charset=utf-8", "巡察人才库.csv");
    }

    private static string[] Row(Cadre c) =>
    [
        c.Id.ToString(), c.Name, "", string.Join("/", c.JurisdictionPath), c.CurrentUnitCode, c.CurrentUnitName,
        string.Join(";", c.Specialties), c.Employment == Employment.FullTime ? "专职" : "抽调", c.IsTownshipLevel ? "是" : "否",
        c.Grade switch { LeadershipGrade.Leader => "组长", LeadershipGrade.Deputy => "副组长", _ => "组员" },
        c.RoundsServed.ToString(CultureInfo.InvariantCulture),
        string.Join(";", c.FormerUnits.Select(u => $"{u.UnitCode}|{u.UnitName}|{u.From:yyyy-MM-dd}|{u.To:yyyy-MM-dd}")),
        string.Join(";", c.Relatives.Select(r => $"{r.Name}|{r.Relation}|{r.UnitCode}|{r.UnitName}")),
        string.Join(";", c.Availability.Select(w => $"{w.From:yyyy-MM-dd}|{w.To:yyyy-MM-dd}")),
        c.AccountSubject ?? "",
    ];

    /// <summary>One row to an input; format errors are reported by column name.</summary>
    private static (CadreInput? Input, Dictionary<string, string[]> Errors) Parse(Dictionary<string, string> row)
    {
        var errors = new Dictionary<string, string[]>();
        string Get(string column) => row.TryGetValue(column, out var v) ? v.Trim() : "";
        List<string[]> Parts(string column, int count)
        {
            var items = Get(column).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.Split('|')).ToList();
            if (items.Any(i => i.Length != count)) errors[column] = [$"each entry needs {count} parts separated by '|', entries by ';'"];
            return [.. items.Where(i => i.Length == count)];
        }
        DateOnly Date(string column, string text)
        {
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors[column] = ["dates as yyyy-MM-dd"];
            return default;
        }

        var employment = Get(CadreTable.EmploymentColumn) switch
        {
            "" or "抽调" or "Seconded" => Employment.Seconded,
            "专职" or "FullTime" => Employment.FullTime,
            _ => (Employment)(-1),
        };
        if (!Enum.IsDefined(employment)) errors[CadreTable.EmploymentColumn] = ["专职 or 抽调"];
        var grade = Get(CadreTable.GradeColumn) switch
        {
            "" or "组员" or "Member" => LeadershipGrade.Member,
            "副组长" or "Deputy" => LeadershipGrade.Deputy,
            "组长" or "Leader" => LeadershipGrade.Leader,
            _ => (LeadershipGrade)(-1),
        };
        if (!Enum.IsDefined(grade)) errors[CadreTable.GradeColumn] = ["组员, 副组长 or 组长"];
        var township = Get(CadreTable.Township) switch { "是" or "true" or "1" => true, "" or "否" or "false" or "0" => (bool?)false, _ => null };
        if (township is null) errors[CadreTable.Township] = ["是 or 否"];
        var roundsText = Get(CadreTable.Rounds);
        var rounds = 0;
        if (roundsText.Length > 0 && !int.TryParse(roundsText, NumberStyles.None, CultureInfo.InvariantCulture, out rounds)) errors[CadreTable.Rounds] = ["a whole number"];

        var input = new CadreInput
        {
            Name = Get(CadreTable.Name),
            IdentityNumber = Get(CadreTable.IdentityNumber) is { Length: > 0 } id ? id : null,
            JurisdictionPath = [.. Get(CadreTable.Path).Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            CurrentUnitCode = Get(CadreTable.UnitCode),
            CurrentUnitName = Get(CadreTable.UnitName),
            Specialties = [.. Get(CadreTable.SpecialtiesColumn).Split([';', '；', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Employment = Enum.IsDefined(employment) ? employment : Employment.Seconded,
            Grade = Enum.IsDefined(grade) ? grade : LeadershipGrade.Member,
            IsTownshipLevel = township ?? false,
            RoundsServed = rounds,
            FormerUnits = [.. Parts(CadreTable.Former, 4).Select(p => new FormerUnit(p[0].Trim(), p[1].Trim(), Date(CadreTable.Former, p[2]), Date(CadreTable.Former, p[3])))],
            Relatives = [.. Parts(CadreTable.RelativesColumn, 4).Select(p => new DeclaredRelative(p[0].Trim(), p[1].Trim(), p[2].Trim(), p[3].Trim()))],
            Availability = [.. Parts(CadreTable.AvailabilityColumn, 2).Select(p => new AvailabilityWindow(Date(CadreTable.AvailabilityColumn, p[0]), Date(CadreTable.AvailabilityColumn, p[1])))],
            AccountSubject = Get(CadreTable.Account) is { Length: > 0 } sub ? sub : null,
        };
        return (input, errors);
    }
}
