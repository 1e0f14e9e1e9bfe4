using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class BadInputTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;
    private Guid caseId;
    private Guid problemId;

    public async Task InitializeAsync()
    {
        host = await servers.HostFor(nameof(BadInputTests), Today);
        caseId = await host.DeliverFeedbackAsync(1);
        problemId = (await host.GetCase(caseId)).GetProperty("problems")[0].GetProperty("id").GetGuid();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private int auditBefore = -1;

    private Task<int> AuditCount() => host.WithDb(db => db.Set<Xuncha.ServiceDefaults.Audit.AuditEntry>().CountAsync());

    private async Task<(HttpStatusCode Status, JsonElement Problem, string? MediaType)> PostTask(string body)
    {
        if (auditBefore < 0) auditBefore = await AuditCount();
        using var liaison = host.Liaison();
        var response = await liaison.PostAsync($"/cases/{caseId}/tasks", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement : default, response.Content.Headers.ContentType?.MediaType);
    }

    private async Task NothingWritten()
    {
        Assert.Equal(0, await host.WithDb(db => db.Tasks.CountAsync(t => t.CaseId == caseId)));
        Assert.Equal(auditBefore, await AuditCount());
    }

    private string Valid(string? measures = null, string dueOn = "2026-12-20") => JsonSerializer.Serialize(new
    {
        problemId, measures = measures ?? "逐笔核查", firstResponsible = "张书记", responsible = "李局长", liaison = "王联络员", dueOn,
    });

    [Theory]
    [InlineData("{\"problemId\": ")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    public async Task Malformed_bodies_are_400_problem_details(string body)
    {
        var (status, problem, media) = await PostTask(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", media);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        await NothingWritten();
    }

    [Fact]
    public async Task A_wrong_type_names_the_field()
    {
        var (status, problem, _) = await PostTask(Valid(dueOn: "next tuesday"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("dueOn", out _), problem.ToString());
        await NothingWritten();
    }

    [Fact]
    public async Task Missing_fields_are_each_named()
    {
        var (status, problem, _) = await PostTask("{}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "problemId", "measures", "firstResponsible", "responsible", "liaison", "dueOn" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not named in {problem}");
        }
        await NothingWritten();
    }

    [Fact]
    public async Task Hostile_and_overlong_text_is_refused()
    {
        var (status, problem, _) = await PostTask(Valid(measures: "整改\u0000措施\u001b[31m"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("measures", out _));
        (status, problem, _) = await PostTask(Valid(measures: new string('改', 4001)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("measures", out _));
        var (deep, _, _) = await PostTask(new string('[', 100) + new string(']', 100));
        Assert.Equal(HttpStatusCode.BadRequest, deep);
        await NothingWritten();
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var (status, problem, _) = await PostTask(Valid(measures: new string('x', 2 * 1024 * 1024)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        await NothingWritten();
    }

    [Fact]
    public async Task Evidence_of_a_forbidden_kind_or_without_a_file_is_refused()
    {
        // A case of its own: the other tests here assert that their case has no tasks.
        var ownCase = await host.DeliverFeedbackAsync(1);
        var taskId = (await host.ApprovedPlanAsync(ownCase, _ => Today.AddDays(20))).Single();
        using var liaison = host.Liaison();
        using var exe = new MultipartFormDataContent { { new ByteArrayContent([0x4d, 0x5a, 0, 0]), "file", "setup.exe" } };
        var refused = await (await liaison.PostAsync($"/tasks/{taskId}/evidence", exe)).Json(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("file", out _));
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await liaison.PostAsync($"/tasks/{taskId}/evidence", empty)).StatusCode);
        using var huge = new MultipartFormDataContent { { new ByteArrayContent(new byte[11 * 1024 * 1024]), "file", "big.pdf" } };
        var tooBig = await liaison.PostAsync($"/tasks/{taskId}/evidence", huge);
        Assert.Contains(tooBig.StatusCode, new[] { HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest });
        Assert.Equal("application/problem+json", tooBig.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.WithDb(db => db.Evidence.CountAsync(e => e.TaskId == taskId)));
    }

    [Fact]
    public async Task Unknown_enum_values_missing_versions_and_unknown_ids_are_named_problems()
    {
        using var supervisor = host.Supervisor();
        var outcome = await (await supervisor.PostAsJsonAsync($"/follow-ups/{Guid.NewGuid()}/result", new { version = 1, outcome = "Vanished", findings = "x" })).Json(HttpStatusCode.BadRequest);
        Assert.True(outcome.GetProperty("errors").TryGetProperty("outcome", out _), outcome.ToString());
        var version = await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/plan/approve", new { comments = "ok" })).Json(HttpStatusCode.BadRequest);
        Assert.True(version.GetProperty("errors").TryGetProperty("version", out _));
        await (await supervisor.GetAsync($"/cases/{Guid.NewGuid()}")).Json(HttpStatusCode.NotFound);
        await (await supervisor.GetAsync("/cases/not-a-guid")).Json(HttpStatusCode.NotFound);
        var checklist = await (await supervisor.PutAsJsonAsync($"/cases/{caseId}/disclosure/checklist", new { version = 1, items = new[] { new { problemId, exclusions = new[] { "Boring" } } } }))
            .Json(HttpStatusCode.BadRequest);
        Assert.Equal(400, checklist.GetProperty("status").GetInt32());
        var nullItem = await (await supervisor.PutAsJsonAsync($"/cases/{caseId}/disclosure/checklist", new { version = 1, items = new object?[] { null }, reason = "x" }))
            .Json(HttpStatusCode.BadRequest);
        Assert.True(nullItem.GetProperty("errors").TryGetProperty("items[0]", out _));
        var scores = await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/evaluation", new { scores = new { A1 = 999 }, fundsRecovered = -1, rulesEstablished = 0, peopleHandled = 0 }))
            .Json(HttpStatusCode.BadRequest);
        Assert.True(scores.GetProperty("errors").TryGetProperty("scores.A1", out _));
        Assert.True(scores.GetProperty("errors").TryGetProperty("scores.D4", out _));
        Assert.True(scores.GetProperty("errors").TryGetProperty("fundsRecovered", out _));
        Assert.Equal(0, await host.WithDb(db => db.Evaluations.CountAsync()));
        Assert.Equal(0, await host.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.MessageType.Contains("RectificationEvaluated"))));
    }
}
