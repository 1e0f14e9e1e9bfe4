using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Evaluation;

namespace Xuncha.Rectification.Tests;

public sealed class EvaluationArithmeticTests
{
    private static readonly IndicatorModel Model = IndicatorModel.Default;

    private static Dictionary<string, decimal> Full() => Model.Indicators.ToDictionary(i => i.Code, i => i.MaxPoints);

    [Fact]
    public void The_default_model_has_22_indicators_in_4_areas_worth_100_points()
    {
        Assert.Equal(4, Model.Areas.Length);
        Assert.Equal(22, Model.Indicators.Count());
        Assert.Equal(100m, Model.MaxPoints);
        Assert.Equal([25m, 35m, 25m, 15m], Model.Areas.Select(a => a.Indicators.Sum(i => i.MaxPoints)));
    }

    [Fact]
    public void The_total_weighs_the_checklist_and_the_satisfaction_rate()
    {
        var full = Model.Evaluate(Full(), 1m);
        Assert.Equal((100m, 100m, Grade.Good), (full.ChecklistPercent, full.Total, full.Grade));

        // 15 points lost in area B: checklist 85; 85 × 0.8 + 90 × 0.2 = 86 → 较好.
        var points = Full();
        foreach (var code in new[] { "B1", "B2", "B3" }) points[code] = 0;
        Assert.Equal(15m, Model.Areas[1].Indicators.Take(3).Sum(i => i.MaxPoints));
        var result = Model.Evaluate(points, 0.9m);
        Assert.Equal(85m, result.ChecklistPercent);
        Assert.Equal(86m, result.Total);
        Assert.Equal(Grade.FairlyGood, result.Grade);
        Assert.Equal(20m, result.Areas.Single(a => a.Code == "B").Points);
    }

    [Theory]
    [InlineData(90.00, Grade.Good)]
    [InlineData(89.99, Grade.FairlyGood)]
    [InlineData(80.00, Grade.FairlyGood)]
    [InlineData(79.99, Grade.Pass)]
    [InlineData(60.00, Grade.Pass)]
    [InlineData(59.99, Grade.Fail)]
    public void Grades_follow_the_thresholds(double total, Grade expected) => Assert.Equal(expected, Model.GradeOf((decimal)total));

    [Fact]
    public void Every_indicator_must_be_scored_within_its_range_and_no_other()
    {
        var points = Full();
        points.Remove("A1");
        points["B2"] = 99;
        points["Z9"] = 1;
        var errors = Model.Check(points);
        Assert.Equal(["scores.A1", "scores.B2", "scores.Z9"], errors.Keys.Order());
    }
}

[Collection(Servers.Name)]
public sealed class EvaluationTests(RectificationServers servers) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private RectificationHost host = null!;

    public async Task InitializeAsync() => host = await servers.HostFor(nameof(EvaluationTests), Today);

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, decimal> Points(decimal share) =>
        IndicatorModel.Default.Indicators.ToDictionary(i => i.Code, i => Math.Round(i.MaxPoints * share, 2));

    [Fact]
    public async Task An_anonymous_survey_feeds_the_evaluation_which_is_published_and_a_poor_grade_recommends_an_interview()
    {
        var caseId = await host.DeliverFeedbackAsync(2);
        var tasks = await host.ApprovedPlanAsync(caseId, _ => Today.AddDays(20));
        await host.AttachEvidenceAsync(tasks[0]);
        await (await host.RequestClosureAsync(tasks[0])).Json(HttpStatusCode.OK);
        await host.ApproveClosureAsync(tasks[0]);

        using var supervisor = host.Supervisor();
        var survey = await (await supervisor.PostAsync($"/cases/{caseId}/survey", null)).Json(HttpStatusCode.Created);
        var link = survey.GetProperty("link").GetString()!;
        Assert.StartsWith("http://127.0.0.1:8080/api/rectification/public/surveys/", link);
        var qr = await supervisor.GetAsync($"/cases/{caseId}/survey/qr.svg");
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync());

        var path = new Uri(link).AbsolutePath.Replace("/api/rectification", "");
        using var anonymous = host.Anonymous();
        var question = await (await anonymous.GetAsync(path)).Json(HttpStatusCode.OK);
        Assert.Equal("洛南县财政局", question.GetProperty("unit").GetString());
        foreach (var answer in new[] { "Satisfied", "Satisfied", "Satisfied", "BasicallySatisfied", "Dissatisfied" })
        {
            await (await anonymous.PostAsJsonAsync($"{path}/answers", new { answer })).Json(HttpStatusCode.Accepted);
        }
        var aggregate = await (await supervisor.GetAsync($"/cases/{caseId}/survey")).Json(HttpStatusCode.OK);
        Assert.Equal(5, aggregate.GetProperty("responses").GetInt32());
        Assert.Equal(0.8m, aggregate.GetProperty("satisfactionRate").GetDecimal());
        // The aggregate is all there is: the unit cannot read the survey, and no answer rows exist to read.
        using var liaison = host.Liaison();
        Assert.Equal(HttpStatusCode.Forbidden, (await liaison.GetAsync($"/cases/{caseId}/survey")).StatusCode);

        // Half marks everywhere: 50 × 0.8 + 80 × 0.2 = 56 → 不合格.
        var evaluated = await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/evaluation", new
        {
            scores = Points(0.5m), fundsRecovered = 515930.00m, rulesEstablished = 3, peopleHandled = 18,
        })).Json(HttpStatusCode.OK);
        Assert.Equal(56m, evaluated.GetProperty("total").GetDecimal());
        Assert.Equal("Fail", evaluated.GetProperty("grade").GetString());
        Assert.Equal(2, evaluated.GetProperty("tasksTotal").GetInt32());
        Assert.Equal(1, evaluated.GetProperty("tasksClosed").GetInt32());

        var evt = JsonDocument.Parse((await host.EventPayloads<RectificationEvaluated>(evaluated.GetProperty("id").GetGuid())).Single()).RootElement;
        Assert.Equal(56m, evt.GetProperty("score").GetDecimal());
        Assert.Equal(0.8m, evt.GetProperty("satisfactionRate").GetDecimal());
        Assert.Equal(515930.00m, evt.GetProperty("fundsRecovered").GetDecimal());
        Assert.Equal(InterviewSituation.PoorEvaluation, (await host.WithDb(db => db.Interviews.SingleAsync(i => i.CaseId == caseId))).Situation);

        // The survey closes with the evaluation; a case is evaluated once.
        await (await anonymous.PostAsJsonAsync($"{path}/answers", new { answer = "Satisfied" })).Json(HttpStatusCode.Conflict);
        await (await supervisor.PostAsJsonAsync($"/cases/{caseId}/evaluation", new { scores = Points(1m), fundsRecovered = 0m, rulesEstablished = 0, peopleHandled = 0 }))
            .Json(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Public_survey_paths_refuse_bad_answers_and_unknown_tokens_with_problem_details()
    {
        var caseId = await host.DeliverFeedbackAsync(1);
        using var supervisor = host.Supervisor();
        var link = (await (await supervisor.PostAsync($"/cases/{caseId}/survey", null)).Json(HttpStatusCode.Created)).GetProperty("link").GetString()!;
        var path = new Uri(link).AbsolutePath.Replace("/api/rectification", "");
        using var anonymous = host.Anonymous();
        var bad = await (await anonymous.PostAsJsonAsync($"{path}/answers", new { answer = "Delighted" })).Json(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("answer", out _), bad.ToString());
        await (await anonymous.PostAsJsonAsync($"{path}/answers", new { })).Json(HttpStatusCode.BadRequest);
        await (await anonymous.PostAsJsonAsync("/public/surveys/' OR 1=1 --/answers", new { answer = "Satisfied" })).Json(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync($"/public/surveys/{new string('a', 32)}")).Json(HttpStatusCode.NotFound);
        var counts = await (await supervisor.GetAsync($"/cases/{caseId}/survey")).Json(HttpStatusCode.OK);
        Assert.Equal(0, counts.GetProperty("responses").GetInt32());
    }
}
