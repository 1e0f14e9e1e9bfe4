using System.Security.Cryptography;
using System.Text;
using Xuncha.Staffing.Cadres;

namespace Xuncha.Staffing.Seed;

/// <summary>
/// The demo talent pool: about 1,300 cadres (seed 002: "抽调党员干部1300余名"), home counties spread over the nine
/// counties, current units among the county's departments and townships (~10% township level), nine full-time
/// inspectors per county (3 groups of 组长、副组长、巡察专员), specialties covering 6+X, some former units, a few relatives.
/// The same every time: ids derive from the cadre's number, every choice from one seeded generator.
/// </summary>
public static class DemoPool
{
    public const int Size = 1300;
    public const int FullTimePerCounty = 9;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀", "霞", "平", "刚", "华", "建", "国", "文", "斌"];
    private static readonly string[] Relations = ["配偶", "子女", "兄弟姐妹", "父母"];

    /// <summary>Weighted so that every group can cover the six core specialties and most can add an "X".</summary>
    private static readonly (string Code, int Weight)[] SpecialtyWeights =
    [
        (Specialties.Discipline, 12), (Specialties.Organisation, 12), (Specialties.Finance, 14), (Specialties.Audit, 10),
        (Specialties.Agriculture, 12), (Specialties.CivilAffairs, 10), (Specialties.Petitions, 7), (Specialties.Law, 6),
        (Specialties.Engineering, 5), (Specialties.NaturalResources, 5), (Specialties.Education, 4), (Specialties.Health, 3),
    ];

    public static Guid IdOf(int number) => new(MD5.HashData(Encoding.UTF8.GetBytes($"xuncha-demo-cadre-{number}")));

    public static List<Cadre> Generate()
    {
        var random = new Random(20261125);
        var cadres = new List<Cadre>(Size);
        var perCounty = Enumerable.Range(0, DemoUnits.Counties.Count).Select(c => Size / DemoUnits.Counties.Count + (c < Size % DemoUnits.Counties.Count ? 1 : 0)).ToList();
        var number = 0;
        for (var county = 0; county < DemoUnits.Counties.Count; county++)
        {
            var countyId = DemoUnits.Counties[county].Id;
            var departments = DemoUnits.Departments(county).ToList();
            var townships = DemoUnits.Townships(county).ToList();
            for (var k = 0; k < perCounty[county]; k++)
            {
                number++;
                var fullTime = k < FullTimePerCounty;
                var township = !fullTime && random.NextDouble() < 0.10;
                var unit = fullTime ? ($"{countyId}-xcb", DemoUnits.Counties[county].Name + "委巡察办")
                    : township ? townships[random.Next(townships.Count)]
                    : departments[random.Next(departments.Count)];
                var grade = fullTime ? (k % 3 == 0 ? LeadershipGrade.Leader : k % 3 == 1 ? LeadershipGrade.Deputy : LeadershipGrade.Member)
                    : random.NextDouble() switch { < 0.06 => LeadershipGrade.Leader, < 0.20 => LeadershipGrade.Deputy, _ => LeadershipGrade.Member };
                var rounds = fullTime ? 4 + random.Next(7) : random.NextDouble() switch { < 0.30 => 0, < 0.55 => 1, _ => 2 + random.Next(5) };
                var cadre = new Cadre
                {
                    Id = IdOf(number),
                    Name = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)] + (random.NextDouble() < 0.6 ? Given[random.Next(Given.Length)] : ""),
                    JurisdictionPath = [DemoUnits.City, countyId],
                    CurrentUnitCode = unit.Item1,
                    CurrentUnitName = unit.Item2,
                    Employment = fullTime ? Employment.FullTime : Employment.Seconded,
                    IsTownshipLevel = township,
                    Grade = grade,
                    RoundsServed = rounds,
                    Specialties = DrawSpecialties(random, fullTime ? Specialties.Discipline : null),
                    UpdatedAt = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero),
                };
                if (random.NextDouble() < 0.15)
                {
                    var former = random.NextDouble() < 0.5 ? townships[random.Next(townships.Count)] : departments[random.Next(departments.Count)];
                    var to = new DateOnly(2019 + random.Next(7), 1 + random.Next(12), 1);
                    cadre.FormerUnits = [new FormerUnit(former.Code, former.Name, to.AddYears(-(2 + random.Next(6))), to)];
                }
                if (random.NextDouble() < 0.05)
                {
                    var place = townships[random.Next(townships.Count)];
                    var code = random.NextDouble() < 0.5 ? DemoUnits.Village(place.Code, 1 + random.Next(12)) : place.Code;
                    cadre.Relatives = [new DeclaredRelative(Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)], Relations[random.Next(Relations.Length)], code, code == place.Code ? place.Name : place.Name + "所属村")];
                }
                if (random.NextDouble() < 0.05)
                {
                    cadre.Availability = [new AvailabilityWindow(new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30))];
                }
                if (rounds > 0 && random.NextDouble() < 0.3)
                {
                    // A recent secondment in the county's own rounds, so rotation and previous-round avoidance have something to bite on.
                    var last = 1 + random.Next(3);
                    var target = departments[random.Next(departments.Count)];
                    cadre.Services = [new ServiceRecord(IdOf(-last), last, countyId, Guid.Empty, [target.Code], new DateOnly(2025, 3 * last, 1), new DateOnly(2025, 3 * last, 28), "member")];
                }
                cadres.Add(cadre);
            }
        }
        return cadres;
    }

    private static List<string> DrawSpecialties(Random random, string? first)
    {
        var total = SpecialtyWeights.Sum(w => w.Weight);
        var count = 1 + (random.NextDouble() < 0.55 ? 1 : 0) + (random.NextDouble() < 0.2 ? 1 : 0);
        var chosen = first is null ? new List<string>() : [first];
        while (chosen.Count < count)
        {
            var roll = random.Next(total);
            var pick = SpecialtyWeights.First(w => (roll -= w.Weight) < 0).Code;
            if (!chosen.Contains(pick)) chosen.Add(pick);
        }
        return chosen;
    }
}
