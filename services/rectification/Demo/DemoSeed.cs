using Xuncha.ServiceDefaults.Http;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Calendar;

namespace Xuncha.Rectification.Demo;

/// <summary>
/// With Demo:Seed=true: the rectification of the first round of the demo city's term for 商州区's seven departments,
/// once, whichever replica gets there first. Ids follow the shared code scheme (round and target ids are the
/// name-based UUIDs planning uses), so the cases line up with planning's rounds and targets without shared code.
/// </summary>
public static class DemoSeed
{
    private const string City = "demo-city";
    private const string County = "demo-city-shangzhou";
    private static readonly string[] Departments = ["财政局", "农业农村局", "民政局", "教育局", "卫生健康局", "自然资源局", "住房和城乡建设局"];
    private static readonly string[] ProblemTitles =
    [
        "产业帮扶资金拨付超过15个工作日", "集体资产租赁未落实“三议两公开”", "低保动态复核未做到每季度1次",
        "“三会一课”参会率低于85%", "廉政风险点排查未做到每半年1次", "谈话提醒覆盖率未达90%",
    ];

    public static async Task RunAsync(IServiceProvider services)
    {
        if (!services.GetRequiredService<IConfiguration>().GetValue("Demo:Seed", false)) return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectificationDb>();
        await db.Database.OpenConnectionAsync();
        try
        {
            // 7310: rectification's seed lock (7301 is the migration lock).
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7310)");
            var round = NameBased("planning-demo:round-1");
            if (await db.Cases.AnyAsync(c => c.RoundId == round)) return;
            var calendar = scope.ServiceProvider.GetRequiredService<WorkingCalendar>();
            var feedbackOn = new DateOnly(2026, 9, 15);
            var at = new DateTimeOffset(feedbackOn.ToDateTime(new TimeOnly(9, 0)), ChinaDate.Offset).ToUniversalTime();
            for (var d = 0; d < Departments.Length; d++)
            {
                var code = $"{County}-d{d + 1:00}";
                var c = new RectificationCase
                {
                    Id = NameBased($"rectification-demo:case-{code}"), RoundId = round, TargetId = NameBased("planning-target:" + code), TargetCode = code,
                    TargetName = "商州区" + Departments[d], Jurisdiction = City, JurisdictionPath = [City, County, code], FeedbackId = NameBased($"rectification-demo:feedback-{code}"),
                    FeedbackOn = feedbackOn, PlanDueOn = calendar.AddWorkingDays(feedbackOn, 15), PlanStatus = PlanStatus.Approved, PlanSubmittedAt = at.AddDays(14),
                    PlanApprovedAt = at.AddDays(18), OpenedAt = at,
                };
                for (var p = 0; p < 3; p++)
                {
                    var title = ProblemTitles[(d + p) % ProblemTitles.Length];
                    var problem = new CaseProblem
                    {
                        Id = NameBased($"rectification-demo:problem-{code}-{p}"), CaseId = c.Id, Source = ProblemSource.Feedback, SourceId = NameBased($"rectification-demo:finding-{code}-{p}"),
                        Title = title, Facts = $"抽查发现{title}的情形{3 + p}起", Suggestion = "建立台账，限期整改，举一反三", ReceivedAt = at,
                    };
                    c.Problems.Add(problem);
                    // Deterministic mix: the first problem closed, the second in progress, the third long-term.
                    var due = p == 2 ? feedbackOn.AddMonths(6) : feedbackOn.AddDays(30 + 10 * d);
                    db.Tasks.Add(new RectificationTask
                    {
                        Id = NameBased($"rectification-demo:task-{code}-{p}"), CaseId = c.Id, ProblemId = problem.Id, Measures = $"针对“{title}”逐项核查、建章立制",
                        FirstResponsible = $"商州区{Departments[d]}党组书记", Responsible = $"商州区{Departments[d]}分管副局长", Liaison = $"商州区{Departments[d]}办公室主任",
                        DueOn = due, Term = PlanRules.TermOf(feedbackOn, due), Status = p == 0 ? LedgerStatus.Closed : LedgerStatus.InProgress,
                        ClosedAt = p == 0 ? at.AddDays(25) : null, CreatedAt = at.AddDays(10), StartedAt = at.AddDays(18), LastUpdateAt = at.AddDays(20),
                    });
                }
                db.Cases.Add(c);
            }
            scope.ServiceProvider.GetRequiredService<AuditTrail>().Record(db, "cases.seeded", "demo", City, after: new { cases = Departments.Length }, reason: "Demo:Seed");
            await db.SaveChangesAsync();
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7310)");
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The name-based UUID of the shared code scheme (SHA-1, version 5 layout), as planning computes it.</summary>
    public static Guid NameBased(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
