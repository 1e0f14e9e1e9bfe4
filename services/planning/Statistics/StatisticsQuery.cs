using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Coverage;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;

namespace Xuncha.Planning.Statistics;

/// <summary>Where a statistic is taken: targets under a jurisdiction, optionally within a term's period or one round.</summary>
public sealed record StatisticsScope(string Jurisdiction, DateOnly From, DateOnly To, Guid? RoundId, Guid? TermId);

public sealed record RectificationFigures(int TargetsEvaluated, int TasksTotal, int TasksClosed, decimal CompletionRate, decimal FundsRecovered,
    int RulesEstablished, int PeopleHandled, decimal? AverageScore, decimal? AverageSatisfaction);

public sealed record PlanningStatistics(
    StatisticsScope Scope, int TargetsCovered, int Rounds, IReadOnlyDictionary<string, int> RoundsByStatus, int Groups,
    int ProblemsFound, int CluesRaised, int PetitionsReceived, RectificationFigures Rectification);

/// <summary>
/// The articles' figures (targets covered, rounds, groups; problems, clues; rectification) for a scope, in two
/// aggregate queries over the round targets under the jurisdiction.
/// </summary>
public static class StatisticsQuery
{
    private sealed record Totals(
        int TargetsCovered, int Groups, int ProblemsFound, int CluesRaised, int PetitionsReceived, int TargetsEvaluated,
        int TasksTotal, int TasksClosed, decimal FundsRecovered, int RulesEstablished, int PeopleHandled, decimal? AverageScore, decimal? AverageSatisfaction,
        int Draft, int Submitted, int Approved, int Launched, int Fieldwork, int Reporting, int Feedback, int Rectification, int Closed);

    public static async Task<PlanningStatistics> ForAsync(PlanningDb db, StatisticsScope scope, CancellationToken ct)
    {
        // One pass over the scope's round targets; rounds per status are counted in the same pass.
        var t = await db.Database.SqlQueryRaw<Totals>("""
            SELECT count(DISTINCT rt.target_id) FILTER (WHERE r.status = ANY({0}))::int AS "TargetsCovered",
                   count(DISTINCT rt.group_id)::int AS "Groups",
                   coalesce(sum(rt.problems_found), 0)::int AS "ProblemsFound",
                   coalesce(sum(rt.clues_raised), 0)::int AS "CluesRaised",
                   coalesce(sum(rt.petitions_received), 0)::int AS "PetitionsReceived",
                   count(*) FILTER (WHERE rt.status = 'RectificationEvaluated')::int AS "TargetsEvaluated",
                   coalesce(sum(rt.rectification_tasks_total), 0)::int AS "TasksTotal",
                   coalesce(sum(rt.rectification_tasks_closed), 0)::int AS "TasksClosed",
                   coalesce(sum(rt.funds_recovered), 0) AS "FundsRecovered",
                   coalesce(sum(rt.rules_established), 0)::int AS "RulesEstablished",
                   coalesce(sum(rt.people_handled), 0)::int AS "PeopleHandled",
                   round(avg(rt.rectification_score), 2) AS "AverageScore",
                   round(avg(rt.satisfaction_rate), 2) AS "AverageSatisfaction",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Draft')::int AS "Draft",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Submitted')::int AS "Submitted",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Approved')::int AS "Approved",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Launched')::int AS "Launched",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Fieldwork')::int AS "Fieldwork",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Reporting')::int AS "Reporting",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Feedback')::int AS "Feedback",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Rectification')::int AS "Rectification",
                   count(DISTINCT r.id) FILTER (WHERE r.status = 'Closed')::int AS "Closed"
            FROM round_targets rt JOIN rounds r ON r.id = rt.round_id JOIN targets t ON t.id = rt.target_id
            WHERE t.jurisdiction_path @> {3} AND r.starts_on <= {1} AND r.ends_on >= {2}
              AND ({4} = '00000000-0000-0000-0000-000000000000'::uuid OR r.id = {4})
            """, RoundLifecycle.InspectingNames, scope.To, scope.From, new[] { scope.Jurisdiction }, scope.RoundId ?? Guid.Empty).SingleAsync(ct);
        var byStatus = new Dictionary<RoundStatus, int>
        {
            [RoundStatus.Draft] = t.Draft, [RoundStatus.Submitted] = t.Submitted, [RoundStatus.Approved] = t.Approved, [RoundStatus.Launched] = t.Launched,
            [RoundStatus.Fieldwork] = t.Fieldwork, [RoundStatus.Reporting] = t.Reporting, [RoundStatus.Feedback] = t.Feedback,
            [RoundStatus.Rectification] = t.Rectification, [RoundStatus.Closed] = t.Closed,
        };
        return new PlanningStatistics(scope, t.TargetsCovered, byStatus.Values.Sum(), byStatus.Where(s => s.Value > 0).ToDictionary(s => Codes.Of(s.Key), s => s.Value), t.Groups,
            t.ProblemsFound, t.CluesRaised, t.PetitionsReceived,
            new RectificationFigures(t.TargetsEvaluated, t.TasksTotal, t.TasksClosed, CoverageLine.Percent(t.TasksClosed, t.TasksTotal),
                t.FundsRecovered, t.RulesEstablished, t.PeopleHandled, t.AverageScore, t.AverageSatisfaction));
    }
}
