using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Problems;
using Xuncha.Contracts.AuditLinkage;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>Joint deployment (team, three-level liaison, weekly consultations, one data-request list) and the shared problem list.</summary>
[Collection(Servers.Name)]
public sealed class LinkageTests(PlatformServers servers) : IAsyncLifetime
{
    private AuditHost host = null!;
    private static readonly string Deployment = $"/rounds/{AuditHost.RoundId}/targets/{AuditHost.TargetId}/deployment";
    private static readonly string Problems = $"/rounds/{AuditHost.RoundId}/targets/{AuditHost.TargetId}/problems";

    public async Task InitializeAsync() => host = await AuditHost.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static object Liaisons(params string[] levels) => levels.Select(l => new { level = l, inspectionSide = "巡察方" + l, auditSide = "审计方" + l });

    private static object Team => new { name = "洛南县审计局第二审计组", leader = "审计组长", members = new[] { "审计员甲", "审计员乙" } };

    [Fact]
    public async Task A_joint_deployment_has_three_liaison_levels_weekly_minutes_and_one_data_request_list()
    {
        var auditor = host.AuditOfficer();
        var twoLevels = await auditor.PutAsJsonAsync(Deployment, new { auditTeam = Team, liaisons = Liaisons("Office", "Leader") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twoLevels.StatusCode);
        Assert.Contains("deployment.three-level-liaison", await twoLevels.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Member().PutAsJsonAsync(Deployment, new { auditTeam = Team, liaisons = Liaisons("Office", "Leader", "Liaison") })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.PutAsJsonAsync(Deployment, new { auditTeam = new { name = "", leader = "x", members = Array.Empty<string>() }, liaisons = Liaisons("Office", "Leader", "Liaison") })).StatusCode);

        var created = await auditor.PutAsJsonAsync(Deployment, new { auditTeam = Team, liaisons = Liaisons("Office", "Leader", "Liaison"), reason = "联合进驻" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var version = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetUInt32();
        var changed = await host.Office().PutAsJsonAsync(Deployment, new { auditTeam = Team, liaisons = Liaisons("Liaison", "Leader", "Office"), version, reason = "更换联络员" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var stale = await auditor.PutAsJsonAsync(Deployment, new { auditTeam = Team, liaisons = Liaisons("Office", "Leader", "Liaison"), version });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var monday = new DateOnly(2024, 3, 4);
        var minutes = new { heldOn = monday.AddDays(2), attendees = new[] { "巡察组长", "审计组长" }, minutes = "通报本周发现的问题", decisions = new[] { "共同调取2023年度财务凭证" } };
        Assert.Equal(HttpStatusCode.Created, (await host.Leader().PostAsJsonAsync(Deployment + "/consultations", minutes)).StatusCode);
        var sameWeek = await auditor.PostAsJsonAsync(Deployment + "/consultations", minutes with { heldOn = monday.AddDays(4) });
        Assert.Equal(HttpStatusCode.Conflict, sameWeek.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await auditor.PostAsJsonAsync(Deployment + "/consultations", minutes with { heldOn = monday.AddDays(7) })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await auditor.PostAsJsonAsync(Deployment + "/consultations", minutes with { heldOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.PostAsJsonAsync(Deployment + "/consultations", new { heldOn = "not a date" })).StatusCode);

        // Asked once: the audit side's identical request joins the group's.
        var first = await host.Member().PostAsJsonAsync(Deployment + "/data-requests", new { item = "2023年度 财务凭证", purpose = "核查大额支出" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await auditor.PostAsJsonAsync(Deployment + "/data-requests", new { item = "2023年度   财务凭证 " });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var request = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["inspection", "audit"], request.GetProperty("requestedBy").EnumerateArray().Select(e => e.GetString()));
        var id = request.GetProperty("id").GetGuid();
        var provided = await auditor.PatchAsJsonAsync($"{Deployment}/data-requests/{id}", new { status = "Provided", note = "已调取", version = request.GetProperty("version").GetUInt32() });
        Assert.Equal(HttpStatusCode.OK, provided.StatusCode);
        var staleUpdate = await auditor.PatchAsJsonAsync($"{Deployment}/data-requests/{id}", new { status = "Cancelled", version = request.GetProperty("version").GetUInt32() });
        Assert.Equal(HttpStatusCode.Conflict, staleUpdate.StatusCode);

        var all = await host.Member().GetFromJsonAsync<JsonElement>(Deployment);
        Assert.Equal(2, all.GetProperty("consultations").GetArrayLength());
        Assert.Equal(1, all.GetProperty("dataRequests").GetArrayLength());
        Assert.True(await host.WithDb(db => db.Set<AuditEntry>().CountAsync(e => e.EntityType == "data-request")) >= 3);
    }

    [Fact]
    public async Task Shared_problems_carry_both_characterisations_and_export_as_the_two_reports_lists()
    {
        var auditor = host.AuditOfficer();
        var finding = new { title = "专项资金滞留", facts = "2023年产业帮扶资金到位后45个工作日未拨付", amount = 400000m, characterisation = "违反专项资金管理规定" };
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Member().PostAsJsonAsync(Problems + "/audit-findings", finding)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.PostAsJsonAsync(Problems + "/audit-findings", finding with { title = "" })).StatusCode);
        var shared = await auditor.PostAsJsonAsync(Problems + "/audit-findings", finding);
        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        var problem = await shared.Content.ReadFromJsonAsync<JsonElement>();

        var message = await Eventually.Until(() => host.WithDb(db => db.Set<OutboxMessage>().Where(m => m.MessageType.Contains(nameof(AuditFindingShared))).ToListAsync()),
            m => m.Count == 1 && m[0].SentAt != null, TimeSpan.FromSeconds(20), "the published audit finding");
        var evt = JsonSerializer.Deserialize<AuditFindingShared>(message[0].Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal((problem.GetProperty("id").GetGuid(), AuditHost.GroupId, 400000m), (evt.FindingId, evt.GroupId, evt.Amount));

        // Each side writes its own characterisation.
        var version = problem.GetProperty("version").GetUInt32();
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PutAsJsonAsync($"{Problems}/{evt.FindingId}/characterisation", new { side = "inspection", text = "x", version })).StatusCode);
        var characterised = await host.Leader().PutAsJsonAsync($"{Problems}/{evt.FindingId}/characterisation", new { side = "inspection", text = "落实全面从严治党主体责任不到位", version });
        Assert.Equal(HttpStatusCode.OK, characterised.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Leader().PutAsJsonAsync($"{Problems}/{evt.FindingId}/characterisation", new { side = "inspection", text = "y", version })).StatusCode);

        var groupProblem = await host.Member().PostAsJsonAsync(Problems + "/group-problems", new { title = "违规发放津补贴", facts = "2023年违规发放加班费", amount = 12000m, characterisation = "违反中央八项规定精神" });
        Assert.Equal(HttpStatusCode.Created, groupProblem.StatusCode);

        var export = await host.Office().GetAsync(Problems + "/reports.xlsx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(await export.Content.ReadAsByteArrayAsync()), false);
        var sheets = workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal([TwoReportsWorkbook.InspectionSheet, TwoReportsWorkbook.AuditSheet], sheets.Select(s => s.Name!.Value));
        foreach (var sheet in sheets)
        {
            var rows = ((WorksheetPart)workbook.WorkbookPart.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().Select(r => string.Join("|", r.Elements<Cell>().Select(c => c.InnerText))).ToList();
            Assert.Equal(4, rows.Count); // title, header, two problems
            Assert.Contains(rows, r => r.Contains("专项资金滞留") && r.Contains("违反专项资金管理规定") && r.Contains("落实全面从严治党主体责任不到位"));
            Assert.Contains(rows, r => r.Contains("违规发放津补贴") && r.Contains("巡察发现"));
        }
    }
}
