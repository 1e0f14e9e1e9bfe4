using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Assessment;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Registry;
using Xuncha.Clues.Rounds;

namespace Xuncha.Clues.Demo;

/// <summary>
/// Demo:Seed=true: the demo city's term-12 clue ledger, shaped after Hengyang's figures (seed 003: 96 clues, 81 closed,
/// 70 organisationally handled, 59 placed on file, 51 sanctioned, 4 to the judiciary). Ids follow the shared code
/// scheme (planning's name-based ids for term, rounds and targets). Every step goes through the ledger, so the state
/// machine and outcome rules hold for the demo too. Idempotent; replicas take turns on an advisory lock.
/// </summary>
public static class DemoSeed
{
    public const string City = "demo-city";
    public const string CaseOffice = "示范市纪委监委案件监督管理室";
    public static readonly Guid TermId = NameBased("planning-demo:term-12");

    private static readonly (string Id, string Name)[] Counties =
    [
        ("demo-city-shangzhou", "商州区"), ("demo-city-luonan", "洛南县"), ("demo-city-danfeng", "丹凤县"),
        ("demo-city-shangnan", "商南县"), ("demo-city-shanyang", "山阳县"), ("demo-city-zhenan", "镇安县"),
        ("demo-city-zhashui", "柞水县"), ("demo-city-east", "东城区"), ("demo-city-west", "西城区"),
    ];
    private static readonly int[] DepartmentsPerCounty = [7, 7, 7, 7, 7, 7, 6, 6, 6];
    private static readonly string[] DepartmentNames = ["财政局", "农业农村局", "民政局", "教育局", "卫生健康局", "自然资源局", "住房和城乡建设局"];
    private static readonly string[] TownshipStems =
        ["城关", "黄沙", "大荆", "麻街", "杨峪", "金陵", "沙河", "板桥", "北宽", "牧护", "夜村", "腰市",
         "石门", "古城", "柳林", "高坝", "青山", "白杨", "红岩", "太平", "永丰", "清泉", "龙潭", "桃园"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    private static readonly string[] Given = ["某", "某某", "某甲", "某乙"];
    private static readonly (AllegationCategory Category, string Allegation)[] Allegations =
    [
        (AllegationCategory.Integrity, "违规发放津补贴，涉及金额较大"),
        (AllegationCategory.Masses, "在惠民惠农资金发放中优亲厚友、虚报冒领"),
        (AllegationCategory.Integrity, "利用职务便利在项目工程中为亲属谋利"),
        (AllegationCategory.Work, "对集体资产租赁未履行“三议两公开”程序，造成资产流失"),
        (AllegationCategory.Organisational, "违规选拔任用干部，档案材料造假"),
        (AllegationCategory.Integrity, "超标准公务接待，超范围报销差旅费"),
        (AllegationCategory.Political, "对上级重大决策部署搞变通、打折扣"),
        (AllegationCategory.Life, "生活作风问题，造成不良影响"),
    ];

    public static Guid RoundId(int number) => NameBased($"planning-demo:round-{number}");

    public static async Task RunAsync(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue("Demo:Seed", false)) return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CluesDb>();
        var ledger = scope.ServiceProvider.GetRequiredService<ClueLedger>();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73081)");
        if (await db.Clues.AnyAsync(c => c.Id == ClueId(0)))
        {
            return;
        }
        foreach (var number in new[] { 1, 2 })
        {
            if (await db.Rounds.FindAsync(RoundId(number)) is null)
            {
                db.Rounds.Add(new RoundInfo { RoundId = RoundId(number), TermId = TermId, Jurisdiction = City, Number = number, Name = $"示范市第十二届市委第{number}轮巡察" });
            }
        }
        var meetings = new Dictionary<int, AssessmentMeeting>();
        for (var i = 0; i < 96; i++)
        {
            var round = i < 60 ? 1 : 2;
            var clue = NewClue(i, round);
            db.Clues.Add(clue);
            var meeting = meetings.TryGetValue(round, out var m) ? m : meetings[round] = NewMeeting(round, db);
            var (letter, violation) = await ledger.TransferAsync(clue, Destination.Commission, CaseOffice, [], meeting.Id, "demo", default, meeting.HeldOn);
            Check(violation);
            meeting.Decisions.Add(new AssessmentDecision { MeetingId = meeting.Id, ClueId = clue.Id, Disposition = Disposition.Transfer, Destination = Destination.Commission, ReceivingOffice = CaseOffice, LetterId = letter!.Id });
            foreach (var (status, outcome) in Path(i))
            {
                Check(ledger.Advance(clue, status, outcome, "demo", null, null));
            }
            if (clue.Status != ClueStatus.Transferred)
            {
                clue.CommissionReference = $"示纪案〔{meeting.HeldOn.Year}〕{i + 1}号";
            }
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>
    /// 44 filed and closed (9 with two people on file, 7 with two sanctioned, 4 sent to the judiciary), 6 filed and open,
    /// 26 closed after 谈话函询 with organisational handling, 11 concluded without action, and 9 still in the early steps.
    /// </summary>
    private static IEnumerable<(ClueStatus, Outcome?)> Path(int i)
    {
        var funds = (i % 5 + 1) * 12_500m;
        switch (i)
        {
            case < 44:
                yield return (ClueStatus.Received, null);
                yield return (ClueStatus.PreliminaryVerification, null);
                yield return (ClueStatus.CaseFiled, new Outcome(0, i < 9 ? 2 : 1, 0, 0, 0m));
                yield return (ClueStatus.Closed, new Outcome(1, i < 9 ? 2 : 1, i < 7 ? 2 : 1, i >= 40 ? 1 : 0, funds));
                break;
            case < 50:
                yield return (ClueStatus.Received, null);
                yield return (ClueStatus.PreliminaryVerification, null);
                yield return (ClueStatus.CaseFiled, new Outcome(0, 1, 0, 0, 0m));
                break;
            case < 76:
                yield return (ClueStatus.Received, null);
                yield return (ClueStatus.TalkAndInquiry, null);
                yield return (ClueStatus.Closed, new Outcome(1, 0, 0, 0, 0m));
                break;
            case < 87:
                yield return (ClueStatus.Received, null);
                yield return (ClueStatus.PreliminaryVerification, null);
                yield return (ClueStatus.ConcludedWithoutAction, null);
                break;
            case < 90:
                break;
            case < 93:
                yield return (ClueStatus.Received, null);
                break;
            default:
                yield return (ClueStatus.Received, null);
                yield return (ClueStatus.PreliminaryVerification, null);
                break;
        }
    }

    private static Clue NewClue(int i, int round)
    {
        var (code, name, county) = Target(i, round);
        var (category, allegation) = Allegations[i % Allegations.Length];
        var person = Surnames[i % Surnames.Length] + Given[i / Surnames.Length % Given.Length];
        var raisedOn = round == 1 ? new DateTimeOffset(2023, 4, 10, 2, 0, 0, TimeSpan.Zero) : new DateTimeOffset(2024, 5, 20, 2, 0, 0, TimeSpan.Zero);
        return new Clue
        {
            Id = ClueId(i), RoundId = RoundId(round), TargetId = NameBased("planning-target:" + code), TargetName = name,
            Jurisdiction = City, JurisdictionPath = [City, county, code], OwnerPath = [City],
            InvolvedPersons = [$"{name}{person}"], Category = category, Summary = $"反映{name}{person}{allegation}。",
            EvidenceReferences = [$"问题底稿 第{i + 1}号", "相关会计凭证复印件"], Source = (ClueSource)(i % 6), Sensitivity = i % 10 == 0 ? Sensitivity.Sensitive : Sensitivity.Ordinary,
            RaisedAt = raisedOn.AddDays(i % 20), RegisteredBy = "demo", Status = ClueStatus.Registered, UpdatedAt = raisedOn,
        };
    }

    private static AssessmentMeeting NewMeeting(int round, CluesDb db)
    {
        var meeting = new AssessmentMeeting
        {
            Id = NameBased($"clues-demo:meeting-{round}"), Jurisdiction = City, HeldOn = round == 1 ? new DateOnly(2023, 5, 26) : new DateOnly(2024, 6, 28),
            Title = $"示范市第十二届市委第{round}轮巡察问题线索会商研判会",
            Participants = ["市委巡察办主任", "市委巡察办线索管理岗", "市纪委监委案件监督管理室主任", "市纪委监委第一监督检查室负责人"],
            RecordedBy = "demo", RecordedAt = DateTimeOffset.UtcNow,
        };
        db.Meetings.Add(meeting);
        return meeting;
    }

    /// <summary>Round 1 inspected the county departments (city-direct), round 2 the first townships of each county.</summary>
    private static (string Code, string Name, string County) Target(int i, int round)
    {
        if (round == 1)
        {
            var c = 0;
            var d = i;
            while (d >= DepartmentsPerCounty[c]) d -= DepartmentsPerCounty[c++];
            return ($"{Counties[c].Id}-d{d + 1:00}", Counties[c].Name + DepartmentNames[d], Counties[c].Id);
        }
        var j = i - 60;
        var county = j % Counties.Length;
        var t = j / Counties.Length + 1;
        var stem = TownshipStems[(county * 5 + t - 1) % TownshipStems.Length] + (t == 1 ? "街道" : "镇");
        return ($"{Counties[county].Id}-t{t:00}", Counties[county].Name + stem, Counties[county].Id);
    }

    private static Guid ClueId(int i) => NameBased($"clues-demo:clue-{i + 1}");

    private static void Check(RuleViolation? violation)
    {
        if (violation is not null) throw new InvalidOperationException($"Demo data breaks rule {violation.Rule}: {violation.Detail}");
    }

    /// <summary>The platform's name-based id (SHA-1, version-5 style), identical to planning's for the same name.</summary>
    private static Guid NameBased(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
