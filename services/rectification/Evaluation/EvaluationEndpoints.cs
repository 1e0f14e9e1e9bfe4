using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Rectification;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Rectification.Evaluation;

/// <summary>整改评估: the supervisor scores the checklist; the survey's satisfaction rate and the outcomes complete it.</summary>
public static class EvaluationEndpoints
{
    public sealed record EvaluationRequest(Dictionary<string, decimal>? Scores, decimal? FundsRecovered, int? RulesEstablished, int? PeopleHandled);

    public static void MapEvaluations(this WebApplication app)
    {
        app.MapGet("/evaluation/model", (IndicatorModel model) => TypedResults.Ok(model)).WithTags("Evaluation").RequireRoles(CaseAccess.ReaderRoles);
        app.MapGet("/cases/{id:guid}/evaluation", Get).WithTags("Evaluation");
        app.MapPost("/cases/{id:guid}/evaluation", Evaluate).WithTags("Evaluation").RequireRoles(CaseAccess.Supervisor);
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is null) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        return await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(e => e.CaseId == id, ct) is { } e
            ? TypedResults.Ok(e)
            : Problems.NotFound("This case has not been evaluated yet.");
    }

    private static async Task<IResult> Evaluate(Guid id, EvaluationRequest request, HttpContext http, RectificationDb db, IndicatorModel model, TimeProvider clock,
        InterviewRecommender interviews, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Check(request.Scores is not null, "scores", "required: points per indicator code (GET /evaluation/model)")
            .Check(request.FundsRecovered is >= 0 and < 1_000_000_000_000m, "fundsRecovered", "required, ≥ 0 (yuan)")
            .Check(request.RulesEstablished is >= 0 and <= 100_000, "rulesEstablished", "required, ≥ 0")
            .Check(request.PeopleHandled is >= 0 and <= 100_000, "peopleHandled", "required, ≥ 0");
        if (request.Scores is not null)
        {
            foreach (var (k, v) in model.Check(request.Scores)) errors[k] = v;
        }
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (c.PlanStatus != PlanStatus.Approved) return Problems.RuleViolated("evaluation.plan-approved", "A case is evaluated after its plan is approved.", "整改方案尚未批准");
        if (await db.Evaluations.AnyAsync(e => e.CaseId == id, ct)) return Problems.Conflict("This case has already been evaluated.");
        var survey = await db.Surveys.FirstOrDefaultAsync(s => s.CaseId == id, ct);
        var rate = survey?.Rate ?? 0m;
        var result = model.Evaluate(request.Scores!, rate);
        var tasks = await db.Tasks.Where(t => t.CaseId == id && t.Status != LedgerStatus.Draft).Select(t => t.Status).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var evaluation = new CaseEvaluation
        {
            Id = Guid.CreateVersion7(),
            CaseId = id,
            Scores = request.Scores!,
            Areas = [.. result.Areas],
            ChecklistPercent = result.ChecklistPercent,
            SatisfactionRate = rate,
            SurveyResponses = survey?.Responses ?? 0,
            Total = result.Total,
            Grade = result.Grade,
            FundsRecovered = request.FundsRecovered!.Value,
            RulesEstablished = request.RulesEstablished!.Value,
            PeopleHandled = request.PeopleHandled!.Value,
            TasksTotal = tasks.Count,
            TasksClosed = tasks.Count(s => s == LedgerStatus.Closed),
            EvaluatedAt = now,
            EvaluatedBy = http.User.Subject(),
        };
        db.Evaluations.Add(evaluation);
        if (survey is not null) survey.Open = false;
        db.AddEvent(new RectificationEvaluated
        {
            EvaluationId = evaluation.Id,
            RoundId = c.RoundId,
            TargetId = c.TargetId,
            Jurisdiction = c.Jurisdiction,
            Score = evaluation.Total,
            SatisfactionRate = rate,
            TasksTotal = evaluation.TasksTotal,
            TasksClosed = evaluation.TasksClosed,
            FundsRecovered = evaluation.FundsRecovered,
            RulesEstablished = evaluation.RulesEstablished,
            PeopleHandled = evaluation.PeopleHandled,
            EvaluatedAt = now,
        });
        if (result.Grade is Grade.Pass or Grade.Fail)
        {
            await interviews.RecommendAsync(db, c, InterviewSituation.PoorEvaluation, $"整改评估得分{result.Total}，等次为{GradeNames.Of(result.Grade)}", null, now, ct);
        }
        audit.Record(db, "case.evaluated", "case", id.ToString(), null, new { evaluation.Total, evaluation.Grade, rate }, "整改评估");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(evaluation);
    }
}

public static class GradeNames
{
    public static string Of(Grade grade) => grade switch
    {
        Grade.Good => "好",
        Grade.FairlyGood => "较好",
        Grade.Pass => "基本合格",
        _ => "不合格",
    };
}
