using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Data;
using Xuncha.Staffing.Groups;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing.Evaluations;

public static class EvaluationEndpoints
{
    public sealed record DisciplineRequest(int DisciplineBreaches, string? DisciplineNotes, int? LeaderAssessment, uint? Version, string? Reason);
    public sealed record TwoWayRequest(EvaluationDirection Direction, int Score, string? Comments);
    public sealed record RecommendationView(Guid CadreId, string Name, Guid GroupId, double Score, Recommendation Recommendation, int RoundsServed);

    public static void MapEvaluations(this WebApplication app)
    {
        var e = app.MapGroup("").WithTags("Evaluations").RequireRoles(StaffingAccess.PoolRoles);
        e.MapGet("/groups/{groupId:guid}/evaluations", ForGroup);
        e.MapPut("/groups/{groupId:guid}/evaluations/{cadreId:guid}", Record).RequireRoles(StaffingAccess.OfficeRoles);
        e.MapPost("/groups/{groupId:guid}/two-way-evaluations", TwoWay).RequireRoles(StaffingAccess.OfficeRoles);
        e.MapGet("/groups/{groupId:guid}/two-way-evaluations", TwoWayList);
        e.MapGet("/rounds/{roundId:guid}/recommendations", Recommendations);
        e.MapGet("/evaluations/formula", () => TypedResults.Ok(new { formula = EvaluationScore.Formula }));
    }

    private static async Task<IResult> ForGroup(Guid groupId, HttpContext http, StaffingDb db, CancellationToken ct)
    {
        if (await GroupEndpoints.FindVisible(http, db, groupId, ct) is null) return Problems.NotFound($"No group {groupId} in your jurisdiction.");
        return TypedResults.Ok(await db.Evaluations.AsNoTracking().Where(x => x.GroupId == groupId).ToListAsync(ct));
    }

    /// <summary>The discipline record and the leader's assessment of one member; the score and recommendation follow from them.</summary>
    private static async Task<IResult> Record(Guid groupId, Guid cadreId, DisciplineRequest request, HttpContext http, StaffingDb db, AuditTrail audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.DisciplineBreaches is < 0 or > 100) errors["disciplineBreaches"] = ["0–100"];
        if (request.LeaderAssessment is < 0 or > 100) errors["leaderAssessment"] = ["0–100"];
        if (request.DisciplineNotes is { Length: > 2000 }) errors["disciplineNotes"] = ["at most 2000 characters"];
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500) errors["reason"] = ["required, at most 500 characters"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await GroupEndpoints.FindVisible(http, db, groupId, ct) is not { } group) return Problems.NotFound($"No group {groupId} in your jurisdiction.");
        if (group.Status != GroupStatus.Confirmed || group.Members.All(m => m.CadreId != cadreId)) return Problems.NotFound($"Cadre {cadreId} is not a member of this confirmed group.");
        var cadre = await db.Cadres.FirstAsync(c => c.Id == cadreId, ct);
        var evaluation = await db.Evaluations.FirstOrDefaultAsync(x => x.GroupId == groupId && x.CadreId == cadreId, ct);
        if (evaluation is null)
        {
            evaluation = new Evaluation { GroupId = groupId, CadreId = cadreId, RoundId = group.RoundId };
            db.Evaluations.Add(evaluation);
        }
        else
        {
            if (request.Version is null) return Problems.Invalid("version", "required when the evaluation exists: the version you read");
            db.Entry(evaluation).Property(x => x.Version).OriginalValue = request.Version.Value;
        }
        var before = new { evaluation.DisciplineBreaches, evaluation.LeaderAssessment, evaluation.Score, evaluation.Recommendation };
        evaluation.DisciplineBreaches = request.DisciplineBreaches;
        evaluation.DisciplineNotes = request.DisciplineNotes;
        evaluation.LeaderAssessment = request.LeaderAssessment;
        evaluation.Score = EvaluationScore.Compute(evaluation);
        evaluation.Recommendation = EvaluationScore.Recommend(evaluation.Score, evaluation.DisciplineBreaches, cadre.RoundsServed);
        evaluation.UpdatedAt = DateTimeOffset.UtcNow;
        audit.Record(db, "evaluation.recorded", "evaluation", $"{groupId}/{cadreId}", before,
            new { evaluation.DisciplineBreaches, evaluation.LeaderAssessment, evaluation.Score, evaluation.Recommendation }, request.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(evaluation);
    }

    private static async Task<IResult> TwoWay(Guid groupId, TwoWayRequest request, HttpContext http, StaffingDb db, AuditTrail audit, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.Direction)) return Problems.Invalid("direction", "GroupToHost or HostToGroup");
        if (request.Score is < 0 or > 100) return Problems.Invalid("score", "0–100");
        if (request.Comments is { Length: > 2000 }) return Problems.Invalid("comments", "at most 2000 characters");
        if (await GroupEndpoints.FindVisible(http, db, groupId, ct) is not { } group) return Problems.NotFound($"No group {groupId} in your jurisdiction.");
        if (group.Status != GroupStatus.Confirmed) return Problems.Conflict("Only a confirmed group is evaluated.");
        var row = await db.TwoWayEvaluations.FirstOrDefaultAsync(x => x.GroupId == groupId && x.Direction == request.Direction, ct);
        if (row is null)
        {
            row = new TwoWayEvaluation { GroupId = groupId, Direction = request.Direction, RoundId = group.RoundId };
            db.TwoWayEvaluations.Add(row);
        }
        row.Score = request.Score;
        row.Comments = request.Comments ?? "";
        row.EvaluatedBy = http.User.Subject();
        row.EvaluatedAt = DateTimeOffset.UtcNow;
        audit.Record(db, "two-way-evaluation.recorded", "group", groupId.ToString(), after: row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(row);
    }

    private static async Task<IResult> TwoWayList(Guid groupId, HttpContext http, StaffingDb db, CancellationToken ct)
    {
        if (await GroupEndpoints.FindVisible(http, db, groupId, ct) is null) return Problems.NotFound($"No group {groupId} in your jurisdiction.");
        return TypedResults.Ok(await db.TwoWayEvaluations.AsNoTracking().Where(x => x.GroupId == groupId).ToListAsync(ct));
    }

    /// <summary>The list the organisation department receives: every evaluated member of the round, best first.</summary>
    private static async Task<IResult> Recommendations(Guid roundId, HttpContext http, StaffingDb db, CancellationToken ct)
    {
        if (await RoundEndpoints.FindVisible(http, db, roundId, ct) is null) return Problems.NotFound($"No round {roundId} in your jurisdiction.");
        var rows = await (from e in db.Evaluations.AsNoTracking()
                          join c in db.Cadres.AsNoTracking() on e.CadreId equals c.Id
                          where e.RoundId == roundId
                          orderby e.Score descending
                          select new RecommendationView(c.Id, c.Name, e.GroupId, e.Score, e.Recommendation, c.RoundsServed)).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }
}
