using Xuncha.Contracts.Planning;
using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Rounds;
using Xuncha.Staffing.Seed;

namespace Xuncha.Staffing.Tests.Infrastructure;

/// <summary>Cadres, targets and rounds for tests, built in the demo code scheme.</summary>
public static class TestData
{
    public static readonly DateOnly Start = new(2027, 3, 1);
    public static readonly DateOnly End = new(2027, 4, 15);
    public const string Luonan = "demo-city-luonan";
    public const string Danfeng = "demo-city-danfeng";

    public static Cadre Cadre(string name = "测试干部", string home = Danfeng, string unit = "demo-city-danfeng-d01", int rounds = 3,
        LeadershipGrade grade = LeadershipGrade.Member, params string[] specialties) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        JurisdictionPath = [DemoUnits.City, home],
        CurrentUnitCode = unit,
        CurrentUnitName = unit,
        Specialties = specialties.Length > 0 ? [.. specialties] : [Specialties.Finance],
        Employment = Employment.Seconded,
        Grade = grade,
        RoundsServed = rounds,
    };

    public static RoundTarget Department(string code, string mode = "regular", Guid? id = null) => new()
    {
        TargetId = id ?? Guid.NewGuid(),
        Code = code,
        ParentCode = code[..code.LastIndexOf('-')],
        Name = code,
        Kind = "county-department",
        Mode = mode,
        County = code[..code.LastIndexOf('-')],
        JurisdictionPath = [DemoUnits.City, code[..code.LastIndexOf('-')], code],
        StartsOn = Start,
        EndsOn = End,
    };

    public static RoundTarget Township(string code, string mode = "township-with-villages") => Department(code, mode) with { Kind = "township" };

    public static RoundTarget Village(RoundTarget township, int v) => new()
    {
        TargetId = Guid.NewGuid(),
        Code = DemoUnits.Village(township.Code, v),
        ParentCode = township.Code,
        Name = DemoUnits.Village(township.Code, v),
        Kind = "village",
        Mode = "township-with-villages",
        County = township.County,
        JurisdictionPath = [.. township.JurisdictionPath, DemoUnits.Village(township.Code, v)],
        ClusterTargetId = township.TargetId,
        StartsOn = Start,
        EndsOn = End,
    };

    public static Round Round(IEnumerable<RoundTarget> targets, int number = 5) => new()
    {
        Id = Guid.NewGuid(),
        Jurisdiction = DemoUnits.City,
        JurisdictionPath = [DemoUnits.City],
        Number = number,
        Name = $"第{number}轮",
        StartsOn = Start,
        EndsOn = End,
        Targets = [.. targets],
    };

    public static AvoidanceCase Case(Cadre cadre, RoundTarget target, StaffingPolicy? policy = null, int roundNumber = 5) =>
        new(cadre, target, roundNumber, DemoUnits.City, Start, policy ?? new StaffingPolicy());

    /// <summary>The articles' scale: 60 targets — 48 county departments (every other county's by cross inspection) and 4 townships, each inspected with 2 villages (巡镇带村).</summary>
    public static List<RoundTarget> SixtyTargets()
    {
        var targets = new List<RoundTarget>();
        for (var county = 0; county < DemoUnits.Counties.Count && targets.Count < 48; county++)
        {
            foreach (var (code, name) in DemoUnits.Departments(county))
            {
                if (targets.Count == 48) break;
                targets.Add(Department(code, county % 2 == 0 ? "cross" : "regular") with { Name = name });
            }
        }
        for (var county = 0; county < 4; county++)
        {
            var (code, name) = DemoUnits.Townships(county).First();
            var township = Township(code) with { Name = name };
            targets.Add(township);
            targets.Add(Village(township, 1));
            targets.Add(Village(township, 2));
        }
        return targets;
    }

    public static RoundLaunched Launched(Round round) => new()
    {
        RoundId = round.Id,
        TermId = Guid.NewGuid(),
        Jurisdiction = round.Jurisdiction,
        Number = round.Number,
        Name = round.Name,
        StartsOn = round.StartsOn,
        EndsOn = round.EndsOn,
        GroupsNeeded = round.Clusters().Count,
        Targets = round.Targets,
        LaunchedAt = DateTimeOffset.UtcNow,
    };
}
