using System.Text.RegularExpressions;

namespace Xuncha.Staffing.Cadres;

/// <summary>A cadre as the office enters or imports it. The identity number is hashed on arrival and never kept.</summary>
public sealed record CadreInput
{
    public string Name { get; init; } = "";
    public string? IdentityNumber { get; init; }
    /// <summary>Jurisdiction ids from the root to the cadre's home county/district.</summary>
    public List<string> JurisdictionPath { get; init; } = [];
    public string CurrentUnitCode { get; init; } = "";
    public string? CurrentUnitName { get; init; }
    public List<FormerUnit>? FormerUnits { get; init; }
    public List<DeclaredRelative>? Relatives { get; init; }
    public List<string> Specialties { get; init; } = [];
    public Employment Employment { get; init; } = Employment.Seconded;
    public bool IsTownshipLevel { get; init; }
    public LeadershipGrade Grade { get; init; } = LeadershipGrade.Member;
    public List<AvailabilityWindow>? Availability { get; init; }
    public int RoundsServed { get; init; }
    /// <summary>Secondments before the platform (rotation and previous-round avoidance read them).</summary>
    public List<ServiceRecord>? Services { get; init; }
    public string? AccountSubject { get; init; }
    /// <summary>On update: the version read (optimistic concurrency).</summary>
    public uint? Version { get; init; }
    /// <summary>Why the record is created or changed (kept in the audit trail).</summary>
    public string? Reason { get; init; }
}

public static partial class CadreValidation
{
    private const int MaxListItems = 50;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    public static partial Regex Code();

    public static Dictionary<string, string[]> Validate(CadreInput input)
    {
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100) Error("name", "required, at most 100 characters");
        if (input.IdentityNumber is { Length: > 0 } id && !IdentityNumberHasher.IsValid(id)) Error("identityNumber", "not a valid 18-character identity number");
        if (input.JurisdictionPath is null || input.JurisdictionPath.Count is 0 or > 10 || input.JurisdictionPath.Any(j => j is null || !Code().IsMatch(j)))
            Error("jurisdictionPath", "1–10 jurisdiction ids (lower-case letters, digits, '-') from the root to the home county");
        if (input.CurrentUnitCode is null || !Code().IsMatch(input.CurrentUnitCode)) Error("currentUnitCode", "required unit code (lower-case letters, digits, '-')");
        if (input.CurrentUnitName is { Length: > 200 }) Error("currentUnitName", "at most 200 characters");
        if (input.Specialties is null || input.Specialties.Count is 0 or > 12 || input.Specialties.Any(s => s is null || !Cadres.Specialties.IsKnown(s)))
            Error("specialties", $"1–12 of: {string.Join(", ", Cadres.Specialties.Names.Keys)}");
        else if (input.Specialties.Distinct().Count() != input.Specialties.Count) Error("specialties", "listed twice");
        if (!Enum.IsDefined(input.Employment)) Error("employment", "FullTime or Seconded");
        if (!Enum.IsDefined(input.Grade)) Error("grade", "Member, Deputy or Leader");
        if (input.RoundsServed is < 0 or > 100) Error("roundsServed", "0–100");
        if (input.AccountSubject is { Length: > 200 }) Error("accountSubject", "at most 200 characters");
        if (input.Reason is { Length: > 500 }) Error("reason", "at most 500 characters");

        var formers = input.FormerUnits ?? [];
        if (formers.Count > MaxListItems) Error("formerUnits", $"at most {MaxListItems}");
        for (var i = 0; i < formers.Count; i++)
        {
            var u = formers[i];
            if (u is null || u.UnitCode is null || !Code().IsMatch(u.UnitCode)) Error($"formerUnits[{i}].unitCode", "required unit code");
            else if (u.From > u.To) Error($"formerUnits[{i}].to", "must not be before 'from'");
            if (u?.UnitName is { Length: > 200 }) Error($"formerUnits[{i}].unitName", "at most 200 characters");
        }
        var relatives = input.Relatives ?? [];
        if (relatives.Count > MaxListItems) Error("relatives", $"at most {MaxListItems}");
        for (var i = 0; i < relatives.Count; i++)
        {
            var r = relatives[i];
            if (r is null || r.UnitCode is null || !Code().IsMatch(r.UnitCode)) Error($"relatives[{i}].unitCode", "required unit code");
            if (r is null || string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > 100) Error($"relatives[{i}].name", "required, at most 100 characters");
            if (r is null || string.IsNullOrWhiteSpace(r.Relation) || r.Relation.Length > 20) Error($"relatives[{i}].relation", "required (e.g. 配偶、子女), at most 20 characters");
            if (r?.UnitName is { Length: > 200 }) Error($"relatives[{i}].unitName", "at most 200 characters");
        }
        var windows = input.Availability ?? [];
        if (windows.Count > MaxListItems) Error("availability", $"at most {MaxListItems}");
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i] is null || windows[i].From > windows[i].To) Error($"availability[{i}].to", "must not be before 'from'");
        }
        var services = input.Services ?? [];
        if (services.Count > MaxListItems) Error("services", $"at most {MaxListItems}");
        for (var i = 0; i < services.Count; i++)
        {
            var s = services[i];
            if (s is null || s.RoundNumber < 1 || s.StartsOn > s.EndsOn || s.Jurisdiction is null || !Code().IsMatch(s.Jurisdiction) || s.TargetCodes is null || s.TargetCodes.Any(c => c is null || !Code().IsMatch(c)))
                Error($"services[{i}]", "round number ≥ 1, jurisdiction id, target unit codes, startsOn ≤ endsOn");
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>Copies the input onto the cadre (the identity number only as its hash).</summary>
    public static void Apply(CadreInput input, Cadre cadre, IdentityNumberHasher hasher)
    {
        cadre.Name = input.Name.Trim();
        if (input.IdentityNumber is { Length: > 0 } id) cadre.IdentityHash = hasher.Hash(id);
        cadre.JurisdictionPath = [.. input.JurisdictionPath];
        cadre.CurrentUnitCode = input.CurrentUnitCode;
        cadre.CurrentUnitName = input.CurrentUnitName?.Trim() ?? "";
        cadre.FormerUnits = [.. (input.FormerUnits ?? []).Select(u => u with { UnitName = u.UnitName?.Trim() ?? "" })];
        cadre.Relatives = [.. (input.Relatives ?? []).Select(r => r with { Name = r.Name.Trim(), UnitName = r.UnitName?.Trim() ?? "" })];
        cadre.Specialties = [.. input.Specialties];
        cadre.Employment = input.Employment;
        cadre.IsTownshipLevel = input.IsTownshipLevel;
        cadre.Grade = input.Grade;
        cadre.Availability = input.Availability ?? [];
        cadre.RoundsServed = input.RoundsServed;
        if (input.Services is not null) cadre.Services = input.Services;
        cadre.AccountSubject = string.IsNullOrWhiteSpace(input.AccountSubject) ? null : input.AccountSubject.Trim();
        cadre.UpdatedAt = DateTimeOffset.UtcNow;
    }
}

/// <summary>What callers see of a cadre: everything but the identity hash.</summary>
public sealed record CadreView(
    Guid Id, string Name, bool HasIdentityNumber, IReadOnlyList<string> JurisdictionPath, string HomeJurisdiction,
    string CurrentUnitCode, string CurrentUnitName, IReadOnlyList<FormerUnit> FormerUnits, IReadOnlyList<DeclaredRelative> Relatives,
    IReadOnlyList<string> Specialties, Employment Employment, bool IsTownshipLevel, LeadershipGrade Grade,
    IReadOnlyList<AvailabilityWindow> Availability, int RoundsServed, IReadOnlyList<ServiceRecord> Services,
    string? AccountSubject, bool Archived, uint Version)
{
    public static CadreView Of(Cadre c) => new(
        c.Id, c.Name, c.IdentityHash is not null, c.JurisdictionPath, c.HomeJurisdiction, c.CurrentUnitCode, c.CurrentUnitName,
        c.FormerUnits, c.Relatives, c.Specialties, c.Employment, c.IsTownshipLevel, c.Grade, c.Availability, c.RoundsServed,
        c.Services, c.AccountSubject, c.Archived, c.Version);
}
