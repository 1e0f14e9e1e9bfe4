using Xuncha.Planning.Jurisdictions;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Demo;

/// <summary>
/// The demo city by the platform's code scheme (shared with staffing and identity by convention, not by code):
/// 9 counties, 60 county departments, 108 townships, 1,303 villages; ids equal codes; attributes from Random(20261125)
/// in generation order.
/// </summary>
public static class DemoCity
{
    public const string City = "demo-city";
    public const int Seed = 20261125;

    public static readonly (string Id, string Name)[] Counties =
    [
        ("demo-city-shangzhou", "商州区"), ("demo-city-luonan", "洛南县"), ("demo-city-danfeng", "丹凤县"),
        ("demo-city-shangnan", "商南县"), ("demo-city-shanyang", "山阳县"), ("demo-city-zhenan", "镇安县"),
        ("demo-city-zhashui", "柞水县"), ("demo-city-east", "东城区"), ("demo-city-west", "西城区"),
    ];

    public static readonly int[] DepartmentsPerCounty = [7, 7, 7, 7, 7, 7, 6, 6, 6];

    public static readonly string[] DepartmentNames =
        ["财政局", "农业农村局", "民政局", "教育局", "卫生健康局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "人力资源和社会保障局"];

    private static readonly string[] TownshipStems =
        ["城关", "黄沙", "大荆", "麻街", "杨峪", "金陵", "沙河", "板桥", "北宽", "牧护", "夜村", "腰市",
         "石门", "古城", "柳林", "高坝", "青山", "白杨", "红岩", "太平", "永丰", "清泉", "龙潭", "桃园"];

    private static readonly string[] VillageStems =
        ["东岭", "西沟", "南坪", "北川", "上河", "下湾", "中坝", "前庄", "后院", "新田", "老街", "柏树",
         "槐树", "桑园", "梨园", "枣林", "石桥", "木桥", "河口", "山根", "泉水", "竹园", "松坪", "杏坪", "花园", "庙台"];

    public const int TownshipsPerCounty = 12;
    public const int VillagesPerTownship = 12;
    /// <summary>The first seven townships (in generation order) have a 13th village: 1,296 + 7 = 1,303.</summary>
    public const int TownshipsWithExtraVillage = 7;

    public static IReadOnlyList<Jurisdiction> Jurisdictions() =>
    [
        new Jurisdiction { Id = City, Name = "示范市", Level = JurisdictionLevel.City, Path = [City] },
        .. Counties.Select(c => new Jurisdiction { Id = c.Id, ParentId = City, Name = c.Name, Level = JurisdictionLevel.County, Path = [City, c.Id] }),
    ];

    /// <summary>Every target in generation order: per county its departments, then each township followed by its villages.</summary>
    public static IReadOnlyList<Target> Targets()
    {
        var rng = new Random(Seed);
        var now = DateTimeOffset.UtcNow;
        var list = new List<Target>();
        var townshipOrdinal = 0;
        for (var c = 0; c < Counties.Length; c++)
        {
            var (county, countyName) = Counties[c];
            for (var d = 1; d <= DepartmentsPerCounty[c]; d++)
            {
                var code = $"{county}-d{d:00}";
                list.Add(Make(code, county, countyName + DepartmentNames[d - 1], TargetKind.CountyDepartment, [City, county, code], county, Attributes(rng, village: false), now));
            }
            for (var t = 1; t <= TownshipsPerCounty; t++)
            {
                var township = $"{county}-t{t:00}";
                var townshipName = TownshipStems[(c * 5 + t - 1) % TownshipStems.Length] + (t == 1 ? "街道" : "镇");
                list.Add(Make(township, county, townshipName, TargetKind.Township, [City, county, township], county, Attributes(rng, village: false), now));
                var villages = VillagesPerTownship + (townshipOrdinal < TownshipsWithExtraVillage ? 1 : 0);
                for (var v = 1; v <= villages; v++)
                {
                    var code = $"{township}-v{v:00}";
                    var name = VillageStems[(townshipOrdinal * 7 + v - 1) % VillageStems.Length] + (v == 1 && t == 1 ? "社区" : "村");
                    list.Add(Make(code, township, name, TargetKind.Village, [City, county, township, code], county, Attributes(rng, village: true), now));
                }
                townshipOrdinal++;
            }
        }
        return list;
    }

    private static TargetAttributes Attributes(Random rng, bool village) => new()
    {
        EconomicSize = village ? rng.Next(50, 1600) : rng.Next(2000, 50000),
        Petitions = rng.Next(0, village ? 8 : 30),
        Projects = rng.Next(0, village ? 7 : 40),
        SpecialFunds = village ? rng.Next(0, 450) : rng.Next(500, 20000),
        WeakPartyOrganisation = rng.NextDouble() < 0.05,
        DataAnomaly = rng.NextDouble() < 0.04,
    };

    private static Target Make(string code, string parent, string name, TargetKind kind, string[] path, string county, TargetAttributes attributes, DateTimeOffset now) =>
        new() { Id = Target.IdFor(code), Code = code, ParentCode = parent, Name = name, Kind = kind, JurisdictionPath = path, County = county, Attributes = attributes, UpdatedAt = now };
}
