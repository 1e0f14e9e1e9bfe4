namespace Xuncha.Staffing.Cadres;

/// <summary>Specialty codes and their Chinese names; the first six are the "6" of "6+X" (纪检、组织、财政、审计、农业、民政).</summary>
public static class Specialties
{
    public const string Discipline = "discipline";
    public const string Organisation = "organisation";
    public const string Finance = "finance";
    public const string Audit = "audit";
    public const string Agriculture = "agriculture";
    public const string CivilAffairs = "civil-affairs";
    public const string Petitions = "petitions";
    public const string Law = "law";
    public const string Engineering = "engineering";
    public const string NaturalResources = "natural-resources";
    public const string Education = "education";
    public const string Health = "health";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Discipline] = "纪检监察",
        [Organisation] = "组织人事",
        [Finance] = "财政财务",
        [Audit] = "审计",
        [Agriculture] = "农业农村",
        [CivilAffairs] = "民政",
        [Petitions] = "信访",
        [Law] = "法律",
        [Engineering] = "工程建设",
        [NaturalResources] = "自然资源",
        [Education] = "教育",
        [Health] = "卫生健康",
    };

    /// <summary>The six every group must cover.</summary>
    public static readonly IReadOnlyList<string> SixCore = [Discipline, Organisation, Finance, Audit, Agriculture, CivilAffairs];

    public static bool IsKnown(string code) => Names.ContainsKey(code);

    public static string NameOf(string code) => Names.TryGetValue(code, out var name) ? name : code;
}
