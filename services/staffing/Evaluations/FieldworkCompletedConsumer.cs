using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Staffing.Data;

namespace Xuncha.Staffing.Evaluations;

/// <summary>
/// Feeds each member's evaluation with what fieldwork reported per target. Facts are keyed by (group, target, cadre),
/// so a re-sent completion replaces rather than adds; the first completion of a group counts a served round.
/// </summary>
public sealed class FieldworkCompletedConsumer(StaffingDb db, AuditTrail audit) : IdempotentConsumer<FieldworkCompleted, StaffingDb>(db)
{
    protected override async Task Handle(ConsumeContext<FieldworkCompleted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var group = await Db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == m.GroupId, ct);
        // Only members of a group staffing knows: anything else would feed evaluations of strangers.
        var members = group?.Members.Select(x => x.CadreId).ToHashSet() ?? [];
        foreach (var c in m.Contributions.Where(c => members.Contains(c.CadreId)).GroupBy(c => c.CadreId).Select(g => g.Last()))
        {
            var fact = await Db.FieldworkFacts.FirstOrDefaultAsync(f => f.GroupId == m.GroupId && f.TargetId == m.TargetId && f.CadreId == c.CadreId, ct);
            if (fact is null)
            {
                fact = new FieldworkFact { GroupId = m.GroupId, TargetId = m.TargetId, CadreId = c.CadreId, RoundId = m.RoundId };
                Db.FieldworkFacts.Add(fact);
            }
            fact.ProblemsFound = Math.Max(0, c.ProblemsFound);
            fact.WorkingPapersAccepted = Math.Max(0, c.WorkingPapersAccepted);
            fact.WorkingPapersReturned = Math.Max(0, c.WorkingPapersReturned);
            fact.CompletedAt = m.CompletedAt;

            var evaluation = await Db.Evaluations.FirstOrDefaultAsync(e => e.GroupId == m.GroupId && e.CadreId == c.CadreId, ct);
            var cadre = await Db.Cadres.FirstAsync(x => x.Id == c.CadreId, ct);
            if (evaluation is null)
            {
                evaluation = new Evaluation { GroupId = m.GroupId, CadreId = c.CadreId, RoundId = m.RoundId };
                Db.Evaluations.Add(evaluation);
                cadre.RoundsServed++;
            }
            var facts = await Db.FieldworkFacts.Where(f => f.GroupId == m.GroupId && f.CadreId == c.CadreId && f.TargetId != m.TargetId).ToListAsync(ct);
            facts.Add(fact);
            evaluation.ProblemsFound = facts.Sum(f => f.ProblemsFound);
            evaluation.WorkingPapersAccepted = facts.Sum(f => f.WorkingPapersAccepted);
            evaluation.WorkingPapersReturned = facts.Sum(f => f.WorkingPapersReturned);
            evaluation.Score = EvaluationScore.Compute(evaluation);
            evaluation.Recommendation = EvaluationScore.Recommend(evaluation.Score, evaluation.DisciplineBreaches, cadre.RoundsServed);
            evaluation.UpdatedAt = DateTimeOffset.UtcNow;
            audit.Record(Db, "evaluation.fed", "evaluation", $"{m.GroupId}/{c.CadreId}",
                after: new { m.TargetId, evaluation.ProblemsFound, evaluation.WorkingPapersAccepted, evaluation.WorkingPapersReturned, evaluation.Score }, reason: "FieldworkCompleted");
        }
    }
}
