using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.Contracts.AuditLinkage;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.AuditLinkage.Problems;

public sealed record ProblemInput(string? Title, string? Facts, decimal? Amount, string? Characterisation);
public sealed record CharacterisationInput(string? Side, string? Text, uint Version);

public static class ProblemEndpoints
{
    public static void MapProblems(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/rounds/{roundId:guid}/targets/{targetId:guid}/problems");
        group.MapGet("/", ListAsync);
        group.MapPost("/audit-findings", ShareAuditFindingAsync);
        group.MapPost("/group-problems", FlagGroupProblemAsync);
        group.MapPut("/{problemId:guid}/characterisation", CharacteriseAsync);
        group.MapGet("/reports.xlsx", ExportAsync);
    }

    private static async Task<IResult> ListAsync(Guid roundId, Guid targetId, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        return TypedResults.Ok(await db.Problems.AsNoTracking().Where(p => p.RoundId == roundId && p.TargetId == targetId).OrderBy(p => p.CreatedAt).ToListAsync(ct));
    }

    /// <summary>An audit finding goes into the group's problem list (and stays in the audit report): AuditFindingShared → fieldwork.</summary>
    private static async Task<IResult> ShareAuditFindingAsync(Guid roundId, Guid targetId, ProblemInput input, HttpContext http, RoundAccess access,
        AuditDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, target, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (!caller.AuditOfficer) return ApiProblems.Forbidden("Only the audit bureau shares audit findings.");
        if (Check(input) is { } invalid) return invalid;
        var group = caller.GroupFor(targetId);
        if (group is null) return ApiProblems.RuleViolated("finding.no-group", "No inspection group has been formed for this target yet; there is no one to share the finding with.");
        var problem = New(caller, targetId, ProblemOrigin.AuditFinding, input, http, clock);
        problem.AuditCharacterisation = input.Characterisation!.Trim();
        db.Problems.Add(problem);
        db.AddEvent(new AuditFindingShared
        {
            FindingId = problem.Id, RoundId = roundId, GroupId = group.Id, TargetId = target!.TargetId, Jurisdiction = caller.Round.Jurisdiction,
            Title = problem.Title, Facts = problem.Facts, Amount = problem.Amount, SharedAt = problem.CreatedAt,
        });
        audit.Record(db, "problem.audit-finding-shared", "shared-problem", problem.Id.ToString(), after: problem, reason: "审计发现移送巡察组");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/rounds/{roundId}/targets/{targetId}/problems", problem);
    }

    /// <summary>A group's problem flagged for the audit report as well as the inspection report.</summary>
    private static async Task<IResult> FlagGroupProblemAsync(Guid roundId, Guid targetId, ProblemInput input, HttpContext http, RoundAccess access,
        AuditDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (!caller.InspectionSide) return ApiProblems.Forbidden("Only the round's groups and the inspection office flag group problems.");
        if (Check(input) is { } invalid) return invalid;
        var problem = New(caller, targetId, ProblemOrigin.GroupProblem, input, http, clock);
        problem.InspectionCharacterisation = input.Characterisation!.Trim();
        db.Problems.Add(problem);
        audit.Record(db, "problem.flagged-for-audit", "shared-problem", problem.Id.ToString(), after: problem, reason: "巡察发现问题纳入审计报告");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/rounds/{roundId}/targets/{targetId}/problems", problem);
    }

    /// <summary>Each side writes its own characterisation only; a stale version is a 409.</summary>
    private static async Task<IResult> CharacteriseAsync(Guid roundId, Guid targetId, Guid problemId, CharacterisationInput input, HttpContext http,
        RoundAccess access, AuditDb db, AuditTrail audit, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (input.Side is not ("inspection" or "audit")) return ApiProblems.Invalid("side", "inspection or audit.");
        if (string.IsNullOrWhiteSpace(input.Text) || input.Text.Length > 2000) return ApiProblems.Invalid("text", "1–2000 characters.");
        if (input.Side == "audit" ? !caller.AuditOfficer : !caller.InspectionSide)
            return ApiProblems.Forbidden($"The {input.Side} characterisation is written by the {input.Side} side.");
        var problem = await db.Problems.SingleOrDefaultAsync(p => p.Id == problemId && p.RoundId == roundId && p.TargetId == targetId, ct);
        if (problem is null) return ApiProblems.NotFound("shared problem", problemId);
        db.Entry(problem).Property(p => p.Version).OriginalValue = input.Version;
        var before = new { problem.InspectionCharacterisation, problem.AuditCharacterisation };
        if (input.Side == "audit") problem.AuditCharacterisation = input.Text.Trim();
        else problem.InspectionCharacterisation = input.Text.Trim();
        audit.Record(db, "problem.characterised", "shared-problem", problem.Id.ToString(), before,
            new { problem.InspectionCharacterisation, problem.AuditCharacterisation }, $"{input.Side} 定性");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(problem);
    }

    private static async Task<IResult> ExportAsync(Guid roundId, Guid targetId, HttpContext http, RoundAccess access, AuditDb db, AuditTrail audit, CancellationToken ct)
    {
        var (caller, target, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        var problems = await db.Problems.AsNoTracking().Where(p => p.RoundId == roundId && p.TargetId == targetId).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        audit.Record(db, "problem.lists-exported", "target", targetId.ToString(), after: new { problems.Count }, reason: "一巡察两报告");
        await db.SaveChangesAsync(ct);
        var bytes = TwoReportsWorkbook.Build(caller.Round.Name, target!.Name, problems);
        return TypedResults.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{target.Code}-两报告问题清单.xlsx");
    }

    private static IResult? Check(ProblemInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Title) || input.Title.Length > 300) return ApiProblems.Invalid("title", "1–300 characters.");
        if (string.IsNullOrWhiteSpace(input.Facts) || input.Facts.Length > 20_000) return ApiProblems.Invalid("facts", "1–20,000 characters.");
        if (input.Amount is < 0 or > 1_000_000_000_000m) return ApiProblems.Invalid("amount", "Between 0 and 10^12 yuan.");
        if (string.IsNullOrWhiteSpace(input.Characterisation) || input.Characterisation.Length > 2000) return ApiProblems.Invalid("characterisation", "1–2000 characters.");
        return null;
    }

    private static SharedProblem New(RoundCaller caller, Guid targetId, ProblemOrigin origin, ProblemInput input, HttpContext http, TimeProvider clock) => new()
    {
        Id = Guid.CreateVersion7(), RoundId = caller.Round.Id, TargetId = targetId, Origin = origin, Title = input.Title!.Trim(), Facts = input.Facts!.Trim(),
        Amount = input.Amount, ForInspectionReport = true, ForAuditReport = true, CreatedBy = http.User.Subject(), CreatedAt = clock.GetUtcNow(),
    };
}
