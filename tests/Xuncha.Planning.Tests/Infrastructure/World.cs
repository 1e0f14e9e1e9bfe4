using System.Net;
using System.Text;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Tests.Infrastructure;

/// <summary>A small test city built through the API: the city, two counties, targets by CSV, terms and rounds.</summary>
public static class World
{
    public const string City = "tc";
    public const string CountyA = "tc-a";
    public const string CountyB = "tc-b";

    public static Guid IdOf(string code) => Target.IdFor(code);

    public static async Task CreateCityAsync(PlanningHost host)
    {
        var office = host.Coordinator();
        (await office.Post("/jurisdictions", new { id = City, name = "测试市", level = "city" })).Expect(HttpStatusCode.Created);
        (await office.Post("/jurisdictions", new { id = CountyA, parentId = City, name = "甲县", level = "county" })).Expect(HttpStatusCode.Created);
        (await office.Post("/jurisdictions", new { id = CountyB, parentId = City, name = "乙县", level = "county" })).Expect(HttpStatusCode.Created);
    }

    public static string Csv(IEnumerable<string> lines) =>
        "code,parentCode,name,kind,economicSize,petitions,projects,specialFunds,weakPartyOrganisation,dataAnomaly\n" + string.Join("\n", lines) + "\n";

    public static string Department(string code, string county) => $"{code},{county},{code}局,county-department,0,0,0,0,false,false";

    public static string Township(string code, string county) => $"{code},{county},{code}镇,township,0,0,0,0,false,false";

    public static string Village(string code, string township, decimal economic = 100, int petitions = 0, bool weak = false) =>
        $"{code},{township},{code}村,village,{economic},{petitions},0,0,{(weak ? "true" : "false")},false";

    public static Task<Api.Reply> ImportCsv(Api api, string csv) =>
        api.Send(HttpMethod.Post, "/targets/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static async Task ImportAsync(PlanningHost host, IEnumerable<string> lines) =>
        (await ImportCsv(host.Coordinator(), Csv(lines))).Expect(HttpStatusCode.OK);

    public static async Task<Guid> TermAsync(PlanningHost host, string jurisdiction = City, string from = "2024-01-01", string to = "2026-12-31") =>
        (await host.Coordinator().Post("/terms", new { jurisdiction, name = "第一届", startsOn = from, endsOn = to })).Expect(HttpStatusCode.Created).Id;

    /// <summary>A draft round with these targets (code, mode).</summary>
    public static async Task<Guid> RoundAsync(PlanningHost host, Guid term, string from, string to, IEnumerable<(string Code, string Mode)> targets, string jurisdiction = City)
    {
        var office = host.Coordinator(jurisdiction);
        var round = (await office.Post("/rounds", new { termId = term, startsOn = from, endsOn = to, groupsNeeded = 2, standardCodes = new[] { "PB-01" } }))
            .Expect(HttpStatusCode.Created).Id;
        var plan = targets.Select(t => new { targetId = IdOf(t.Code), mode = t.Mode }).ToArray();
        if (plan.Length > 0) (await office.Post($"/rounds/{round}/targets", new { targets = plan })).Expect(HttpStatusCode.OK);
        return round;
    }

    public static async Task<Api.Reply> MoveAsync(Api api, Guid round, string to, string reason = "按程序推进") =>
        await api.Post($"/rounds/{round}/transitions", new { to, reason });

    /// <summary>Submitted by the office, approved by the leading group, launched by the office.</summary>
    public static async Task<Api.Reply> LaunchAsync(PlanningHost host, Guid round, string jurisdiction = City)
    {
        (await MoveAsync(host.Coordinator(jurisdiction), round, "submitted", "方案已拟定，提请审批")).Expect(HttpStatusCode.OK);
        (await MoveAsync(host.LeadingGroup(jurisdiction), round, "approved", "领导小组会议审议通过")).Expect(HttpStatusCode.OK);
        return (await MoveAsync(host.Coordinator(jurisdiction), round, "launched", "召开动员部署会")).Expect(HttpStatusCode.OK);
    }
}
