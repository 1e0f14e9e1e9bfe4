using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Data;

namespace Xuncha.Rectification.Cases;

/// <summary>
/// Finds the case of (round, unit) or opens it. Two messages racing to open the same case meet the unique index; the
/// loser's transaction (inbox row included) rolls back and its retry finds the winner's case.
/// </summary>
internal static class CaseOpening
{
    public static async Task<RectificationCase> FindOrOpenAsync(RectificationDb db, Guid roundId, Guid targetId, string targetName,
        string jurisdiction, IReadOnlyList<string> path, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await db.Cases.Include(c => c.Problems).FirstOrDefaultAsync(c => c.RoundId == roundId && c.TargetId == targetId, ct);
        if (existing is not null)
        {
            return existing;
        }
        var opened = new RectificationCase
        {
            Id = Guid.CreateVersion7(),
            RoundId = roundId,
            TargetId = targetId,
            TargetName = targetName,
            Jurisdiction = jurisdiction,
            JurisdictionPath = [.. path],
            PlanStatus = PlanStatus.NotSubmitted,
            OpenedAt = now,
        };
        db.Cases.Add(opened);
        return opened;
    }

    /// <summary>Adds a problem unless the same source item is already on the case (a re-sent event adds nothing).</summary>
    public static bool AddProblem(RectificationCase c, ProblemSource source, Guid sourceId, string title, string facts, string suggestion, DateOnly? dueOn, DateTimeOffset now)
    {
        if (c.Problems.Any(p => p.Source == source && p.SourceId == sourceId))
        {
            return false;
        }
        c.Problems.Add(new CaseProblem
        {
            Id = Guid.CreateVersion7(),
            CaseId = c.Id,
            Source = source,
            SourceId = sourceId,
            Title = Clip(title, 500),
            Facts = Clip(facts, 8000),
            Suggestion = Clip(suggestion, 4000),
            DueOn = dueOn,
            ReceivedAt = now,
        });
        if (c.PlanStatus == PlanStatus.Approved)
        {
            // A problem arriving after approval reopens the plan for the tasks it needs.
            c.PlanStatus = PlanStatus.Returned;
            c.PlanComments = "新增问题，请补充整改任务后重新提交整改方案";
        }
        return true;
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}
