namespace Xuncha.Staffing.Seed;

/// <summary>
/// The demo dataset's code scheme, shared with planning by convention (no shared code): nine counties of demo-city,
/// 60 county departments (7,7,7,7,7,7,6,6,6) coded "&lt;county&gt;-dNN", 12 townships per county coded "&lt;county&gt;-tNN".
/// </summary>
public static class DemoUnits
{
    public const string City = "demo-city";

    public static readonly IReadOnlyList<(string Id, string Name)> Counties =
    [
        ("demo-city-shangzhou", "商州区"), ("demo-city-luonan", "洛南县"), ("demo-city-danfeng", "丹凤县"),
        ("demo-city-shangnan", "商南县"), ("demo-city-shanyang", "山阳县"), ("demo-city-zhenan", "镇安县"),
        ("demo-city-zhashui", "柞水县"), ("demo-city-east", "东城区"), ("demo-city-west", "西城区"),
    ];

    public static readonly IReadOnlyList<int> DepartmentsPerCounty = [7, 7, 7, 7, 7, 7, 6, 6, 6];

    public static readonly IReadOnlyList<string> DepartmentNames =
        ["财政局", "农业农村局", "民政局", "教育局", "卫生健康局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "人力资源和社会保障局"];

    private static readonly string[] TownshipStems = ["城关", "东关", "西关", "南秦", "北宽坪", "大荆", "杨斜", "麻街", "牧护关", "黑山", "夜村", "沙河子"];

    public const int TownshipsPerCounty = 12;

    public static IEnumerable<(string Code, string Name)> Departments(int county)
    {
        var (id, name) = Counties[county];
        for (var d = 1; d <= DepartmentsPerCounty[county]; d++)
        {
            yield return ($"{id}-d{d:00}", name + DepartmentNames[d - 1]);
        }
    }

    public static IEnumerable<(string Code, string Name)> Townships(int county)
    {
        var (id, name) = Counties[county];
        for (var t = 1; t <= TownshipsPerCounty; t++)
        {
            yield return ($"{id}-t{t:00}", $"{name[..1]}{TownshipStems[t - 1]}镇");
        }
    }

    public static string Village(string townshipCode, int v) => $"{townshipCode}-v{v:00}";
}
