using Xuncha.ServiceDefaults.Http;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Rectification.Evaluation;

/// <summary>
/// 群众满意度测评: the supervisor opens a survey per case and prints its link and QR code; anyone answers anonymously at
/// /public/surveys/{token}; only the counts are kept and only the aggregate is ever shown.
/// </summary>
public static class SurveyEndpoints
{
    public sealed record AnswerRequest(SatisfactionAnswer? Answer);
    public sealed record SurveyView(Guid CaseId, string Link, bool Open, int Responses, int Satisfied, int BasicallySatisfied, int Dissatisfied, decimal SatisfactionRate);
    public sealed record PublicSurveyView(string Unit, string Question, IReadOnlyList<string> Answers, bool Open);

    public static void MapSurveys(this WebApplication app)
    {
        var office = app.MapGroup("/cases/{id:guid}/survey").WithTags("Survey").RequireRoles(CaseAccess.Supervisor);
        office.MapPost("", Open);
        office.MapGet("", Get);
        office.MapGet("/qr.svg", Qr);
        var open = app.MapGroup("/public/surveys/{token}").WithTags("Public").AllowAnonymous();
        open.MapGet("", PublicGet);
        open.MapPost("/answers", Answer);
    }

    private static string LinkOf(SatisfactionSurvey s, RectificationOptions o) => $"{o.PublicBaseUrl.TrimEnd('/')}/public/surveys/{s.Token}";

    private static SurveyView View(SatisfactionSurvey s, RectificationOptions o) =>
        new(s.CaseId, LinkOf(s, o), s.Open, s.Responses, s.Satisfied, s.BasicallySatisfied, s.Dissatisfied, s.Rate);

    private static async Task<IResult> Open(Guid id, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, AuditTrail audit, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.CaseId == id, ct) is { } existing) return TypedResults.Ok(View(existing, options.Value));
        var survey = new SatisfactionSurvey { Id = Guid.CreateVersion7(), CaseId = id, Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), OpenedAt = clock.GetUtcNow() };
        db.Surveys.Add(survey);
        audit.Record(db, "survey.opened", "case", id.ToString(), after: new { survey.Id }, reason: "群众满意度测评");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/cases/{id}/survey", View(survey, options.Value));
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, RectificationDb db, IOptions<RectificationOptions> options, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        return await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.CaseId == id, ct) is { } s ? TypedResults.Ok(View(s, options.Value)) : Problems.NotFound("No survey has been opened for this case.");
    }

    private static async Task<IResult> Qr(Guid id, HttpContext http, RectificationDb db, IOptions<RectificationOptions> options, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.CaseId == id, ct) is not { } s) return Problems.NotFound("No survey has been opened for this case.");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(LinkOf(s, options.Value), QRCodeGenerator.ECCLevel.M);
        return TypedResults.Text(new SvgQRCode(data).GetGraphic(6), "image/svg+xml");
    }

    private static bool WellFormed(string token) => token.Length == 32 && token.All(char.IsAsciiHexDigitLower);

    private static async Task<IResult> PublicGet(string token, RectificationDb db, CancellationToken ct)
    {
        var found = WellFormed(token)
            ? await db.Surveys.AsNoTracking().Where(s => s.Token == token).Join(db.Cases, s => s.CaseId, c => c.Id, (s, c) => new { s.Open, c.TargetName }).FirstOrDefaultAsync(ct)
            : null;
        return found is null
            ? Problems.NotFound("No such survey.")
            : TypedResults.Ok(new PublicSurveyView(found.TargetName, $"您对{found.TargetName}巡察整改工作的总体评价是？", ["满意", "基本满意", "不满意"], found.Open));
    }

    /// <summary>One answer adds one to a counter in a single statement: nothing about the respondent is stored.</summary>
    private static async Task<IResult> Answer(string token, AnswerRequest request, RectificationDb db, CancellationToken ct)
    {
        if (request.Answer is not { } answer || !Enum.IsDefined(answer)) return Problems.Invalid("answer", $"required: {string.Join(", ", Enum.GetNames<SatisfactionAnswer>())}");
        if (!WellFormed(token)) return Problems.NotFound("No such survey.");
        var surveys = db.Surveys.Where(s => s.Token == token && s.Open);
        var changed = answer switch
        {
            SatisfactionAnswer.Satisfied => await surveys.ExecuteUpdateAsync(u => u.SetProperty(s => s.Satisfied, s => s.Satisfied + 1), ct),
            SatisfactionAnswer.BasicallySatisfied => await surveys.ExecuteUpdateAsync(u => u.SetProperty(s => s.BasicallySatisfied, s => s.BasicallySatisfied + 1), ct),
            _ => await surveys.ExecuteUpdateAsync(u => u.SetProperty(s => s.Dissatisfied, s => s.Dissatisfied + 1), ct),
        };
        if (changed == 1) return TypedResults.Accepted((string?)null, new { message = "感谢您的评价" });
        return await db.Surveys.AnyAsync(s => s.Token == token, ct) ? Problems.Conflict("This survey is closed.") : Problems.NotFound("No such survey.");
    }
}
