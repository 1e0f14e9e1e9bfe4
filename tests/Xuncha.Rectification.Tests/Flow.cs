using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Xuncha.Rectification.Tests;

/// <summary>The common path through the API: draft one task per problem, submit, approve; attach evidence; ask for closure.</summary>
public static class Flow
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    public static async Task<List<Guid>> DraftTasksAsync(this RectificationHost host, Guid caseId, Func<int, DateOnly> dueOn)
    {
        var view = await host.GetCase(caseId);
        using var liaison = host.Liaison();
        var ids = new List<Guid>();
        var i = 0;
        foreach (var problem in view.GetProperty("problems").EnumerateArray())
        {
            var created = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/tasks", new
            {
                problemId = problem.GetProperty("id").GetGuid(),
                measures = $"整改措施{i}：建立资金拨付台账，逐笔核查",
                firstResponsible = "张书记",
                responsible = "李局长",
                liaison = "王联络员",
                dueOn = dueOn(i++),
            })).Json(HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetGuid());
        }
        return ids;
    }

    public static async Task<List<Guid>> ApprovedPlanAsync(this RectificationHost host, Guid caseId, Func<int, DateOnly> dueOn)
    {
        var ids = await host.DraftTasksAsync(caseId, dueOn);
        using var liaison = host.Liaison();
        var version = (await host.GetCase(caseId)).GetProperty("version").GetUInt32();
        var submitted = await (await liaison.PostAsJsonAsync($"/cases/{caseId}/plan/submit", new { version })).Json(HttpStatusCode.OK);
        using var supervisor = host.Supervisor();
        await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/plan/approve", new { version = submitted.GetProperty("version").GetUInt32() })).Json(HttpStatusCode.OK);
        return ids;
    }

    public static async Task<JsonElement> TaskAsync(this RectificationHost host, Guid taskId)
    {
        using var supervisor = host.Supervisor();
        return await (await supervisor.GetAsync($"/tasks/{taskId}")).Json(HttpStatusCode.OK);
    }

    public static async Task AttachEvidenceAsync(this RectificationHost host, Guid taskId, string fileName = "佐证.pdf")
    {
        using var liaison = host.Liaison();
        using var form = new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 整改佐证"u8.ToArray()), "file", fileName } };
        await (await liaison.PostAsync($"/tasks/{taskId}/evidence", form)).Json(HttpStatusCode.Created);
    }

    public static async Task<HttpResponseMessage> RequestClosureAsync(this RectificationHost host, Guid taskId)
    {
        using var liaison = host.Liaison();
        var version = (await host.TaskAsync(taskId)).GetProperty("version").GetUInt32();
        return await liaison.PostAsJsonAsync($"/tasks/{taskId}/closure", new { version, summary = "已建立台账并完成全部资金拨付" });
    }

    public static async Task<JsonElement> ApproveClosureAsync(this RectificationHost host, Guid taskId)
    {
        using var supervisor = host.Supervisor();
        var version = (await host.TaskAsync(taskId)).GetProperty("version").GetUInt32();
        return await (await supervisor.PostAsJsonAsync($"/tasks/{taskId}/closure/approve", new { version, comments = "佐证充分，同意销号" })).Json(HttpStatusCode.OK);
    }
}
