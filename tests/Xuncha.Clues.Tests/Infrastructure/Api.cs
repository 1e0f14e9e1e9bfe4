using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Xuncha.Clues.Tests.Infrastructure;

/// <summary>The calls most tests need to put a clue where they want it, through the public API.</summary>
public static class Api
{
    public static readonly Guid RoundId = Guid.Parse("11111111-0000-0000-0000-000000000001");
    public static readonly Guid TargetId = Guid.Parse("22222222-0000-0000-0000-000000000001");
    public static readonly string[] TargetPath = [CluesHost.City, CluesHost.County, CluesHost.County + "-t03"];

    public static object ClueBody(string person = "张某某", Guid? targetId = null, Guid? groupId = null, string jurisdiction = CluesHost.City) => new
    {
        roundId = RoundId, groupId, targetId = targetId ?? TargetId, targetName = "洛南县黄沙镇",
        jurisdiction, jurisdictionPath = TargetPath, involvedPersons = new[] { person },
        category = "integrity", summary = $"反映{person}在惠农补贴发放中虚报冒领", evidenceReferences = new[] { "问题底稿 第3号", "补贴发放花名册" },
        source = "petition", sensitivity = "sensitive",
    };

    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<Guid> RegisterAsync(HttpClient officer, string person = "张某某", Guid? targetId = null, Guid? groupId = null)
    {
        var json = await (await officer.PostAsJsonAsync("/clues", ClueBody(person, targetId, groupId))).Json(HttpStatusCode.Created);
        return json.GetProperty("id").GetGuid();
    }

    public static object Transfer(Guid clueId, string destination = "commission") =>
        new { clueId, disposition = "transfer", destination, receivingOffice = "示范市纪委监委案件监督管理室", interviewExcerpts = new[] { "谈话对象称补贴名单由其一人确定" } };

    public static object Meeting(params object[] decisions) => new
    {
        jurisdiction = CluesHost.City, heldOn = "2026-11-20", title = "第3轮巡察问题线索会商研判会",
        participants = new[] { "巡察办主任", "纪委监委案件监督管理室主任" }, decisions,
    };

    /// <summary>Registers and transfers a clue to the commission; its id.</summary>
    public static async Task<Guid> TransferredAsync(HttpClient officer, string person = "张某某", string destination = "commission", Guid? targetId = null)
    {
        var id = await RegisterAsync(officer, person, targetId ?? Guid.NewGuid());
        await (await officer.PostAsJsonAsync("/assessments", Meeting(Transfer(id, destination)))).Json(HttpStatusCode.Created);
        return id;
    }

    public static object Report(string reference, string status, int org = 0, int filed = 0, int sanctions = 0, int judicial = 0, decimal funds = 0) =>
        new { commissionReference = reference, status, organisationalHandlings = org, casesFiled = filed, sanctions, judicialTransfers = judicial, fundsRecovered = funds };
}
