using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Jurisdictions;

namespace Xuncha.Planning.Targets;

/// <summary>A target as submitted (one file row or one request), before it is placed in the tree.</summary>
public sealed record TargetDraft(string Code, string ParentCode, string Name, TargetKind Kind, TargetAttributes Attributes);

public sealed record RowResult(int Row, string Code, string Status, string? Reason)
{
    public static RowResult Accepted(int row, string code) => new(row, code, "accepted", null);
    public static RowResult Rejected(int row, string code, string reason) => new(row, code, "rejected", reason);
}

/// <summary>
/// Puts drafts into the tree: a department or township hangs under a county, a village under a township (already
/// stored or earlier/later in the same batch); the path and county follow, and the caller must oversee them.
/// </summary>
public sealed partial class TargetPlacement
{
    private readonly Dictionary<string, Jurisdiction> jurisdictions;
    private readonly Dictionary<string, Target> existing;
    private readonly ClaimsPrincipal user;

    private TargetPlacement(Dictionary<string, Jurisdiction> jurisdictions, Dictionary<string, Target> existing, ClaimsPrincipal user)
    {
        this.jurisdictions = jurisdictions;
        this.existing = existing;
        this.user = user;
    }

    public static async Task<TargetPlacement> LoadAsync(PlanningDb db, ClaimsPrincipal user, IEnumerable<string> codes, CancellationToken ct)
    {
        var wanted = codes.Where(c => c.Length > 0).Distinct().ToList();
        var existing = await db.Targets.AsNoTracking().Where(t => wanted.Contains(t.Code)).ToDictionaryAsync(t => t.Code, ct);
        var jurisdictions = await db.Jurisdictions.AsNoTracking().ToDictionaryAsync(j => j.Id, ct);
        return new TargetPlacement(jurisdictions, existing, user);
    }

    public bool Exists(string code) => existing.ContainsKey(code);

    /// <summary>Places every draft (townships before their villages); the targets to write, or the reason per draft.</summary>
    public (Dictionary<int, Target> Placed, Dictionary<int, string> Rejected) PlaceAll(IReadOnlyList<(int Row, TargetDraft Draft)> drafts)
    {
        var placed = new Dictionary<int, Target>();
        var rejected = new Dictionary<int, string>();
        var batchTownships = new Dictionary<string, Target>();
        foreach (var (row, draft) in drafts.OrderBy(d => d.Draft.Kind == TargetKind.Village ? 1 : 0))
        {
            var result = Place(draft, batchTownships);
            if (result.Target is { } t)
            {
                placed[row] = t;
                if (t.Kind == TargetKind.Township) batchTownships[t.Code] = t;
            }
            else rejected[row] = result.Reason!;
        }
        return (placed, rejected);
    }

    public (Target? Target, string? Reason) Place(TargetDraft draft, IReadOnlyDictionary<string, Target>? batchTownships = null)
    {
        if (jurisdictions.ContainsKey(draft.Code)) return (null, $"The code '{draft.Code}' is a jurisdiction's id.");
        if (existing.TryGetValue(draft.Code, out var old))
        {
            if (old.Kind != draft.Kind) return (null, $"'{draft.Code}' exists as {old.Kind.Code()}; a target's kind does not change.");
            if (old.ParentCode != draft.ParentCode) return (null, $"'{draft.Code}' belongs to '{old.ParentCode}'; a target does not move.");
        }
        string[] path;
        string county;
        if (draft.Kind == TargetKind.Village)
        {
            Target? township = null;
            if (batchTownships?.TryGetValue(draft.ParentCode, out var fromBatch) == true) township = fromBatch;
            else if (existing.TryGetValue(draft.ParentCode, out var stored) && stored.Kind == TargetKind.Township) township = stored;
            if (township is null) return (null, $"A village's parent must be a township; '{draft.ParentCode}' is not one.");
            path = [.. township.JurisdictionPath, draft.Code];
            county = township.County;
        }
        else
        {
            if (!jurisdictions.TryGetValue(draft.ParentCode, out var parent) || parent.Level != JurisdictionLevel.County)
            {
                return (null, $"A {draft.Kind.Code()}'s parent must be a county or district; '{draft.ParentCode}' is not one.");
            }
            path = [.. parent.Path, draft.Code];
            county = parent.Id;
        }
        if (!user.Edits(path)) return (null, $"'{draft.ParentCode}' is outside your jurisdiction.");
        return (new Target
        {
            Id = Target.IdFor(draft.Code), Code = draft.Code, ParentCode = draft.ParentCode, Name = draft.Name, Kind = draft.Kind,
            JurisdictionPath = path, County = county, Attributes = draft.Attributes, UpdatedAt = DateTimeOffset.UtcNow,
        }, null);
    }

    [GeneratedRegex(Codes.Pattern)]
    private static partial Regex CodeRegex();

    private static readonly Dictionary<string, TargetKind> KindAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["街道"] = TargetKind.Township, ["乡镇/街道"] = TargetKind.Township, ["镇"] = TargetKind.Township, ["乡"] = TargetKind.Township,
        ["社区"] = TargetKind.Village, ["村/社区"] = TargetKind.Village, ["单位"] = TargetKind.CountyDepartment,
    };

    /// <summary>Reads one file row into a draft, or says what is wrong with it.</summary>
    public static (TargetDraft? Draft, string? Reason) Parse(TargetFile.RawRow row)
    {
        var code = row["code"];
        if (!CodeRegex().IsMatch(code)) return (null, "code: required; letters, digits, '-' or '_' (at most 100).");
        var name = row["name"];
        if (name.Length is 0 or > 100) return (null, "name: required, at most 100 characters.");
        if (!Codes.TryParse<TargetKind>(row["kind"], out var kind) && !KindAliases.TryGetValue(row["kind"], out kind))
        {
            return (null, $"kind: one of {Codes.Known<TargetKind>()}.");
        }
        var parent = row["parentCode"];
        if (!CodeRegex().IsMatch(parent)) return (null, "parentCode: required; the county (department, township) or township (village) code.");
        if (!Amount(row["economicSize"], out var economic)) return (null, "economicSize: a non-negative number (万元).");
        if (!Count(row["petitions"], out var petitions)) return (null, "petitions: a non-negative whole number.");
        if (!Count(row["projects"], out var projects)) return (null, "projects: a non-negative whole number.");
        if (!Amount(row["specialFunds"], out var funds)) return (null, "specialFunds: a non-negative number (万元).");
        if (!Flag(row["weakPartyOrganisation"], out var weak)) return (null, "weakPartyOrganisation: true/false (是/否).");
        if (!Flag(row["dataAnomaly"], out var anomaly)) return (null, "dataAnomaly: true/false (是/否).");
        return (new TargetDraft(code, parent, name, kind, new TargetAttributes
        {
            EconomicSize = economic, Petitions = petitions, Projects = projects, SpecialFunds = funds, WeakPartyOrganisation = weak, DataAnomaly = anomaly,
        }), null);
    }

    private static bool Amount(string text, out decimal value)
    {
        value = 0;
        return text.Length == 0 || decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value) && value is >= 0 and < 1_000_000_000_000m;
    }

    private static bool Count(string text, out int value)
    {
        value = 0;
        return text.Length == 0 || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= 0;
    }

    private static bool Flag(string text, out bool value)
    {
        value = text.ToLowerInvariant() switch { "true" or "1" or "是" or "y" or "yes" => true, _ => false };
        return text.ToLowerInvariant() is "" or "true" or "false" or "1" or "0" or "是" or "否" or "y" or "n" or "yes" or "no";
    }
}
