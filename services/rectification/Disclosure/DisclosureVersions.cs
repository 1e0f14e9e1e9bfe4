using Xuncha.ServiceDefaults.Http;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Evaluation;
using Xuncha.Rectification.Plans;

namespace Xuncha.Rectification.Disclosure;

public sealed record DisclosureItem(Guid ProblemId, string Title, IReadOnlyList<string> Measures, string Status, bool Public, IReadOnlyList<DisclosureExclusion>? Exclusions);

public sealed record InternalDisclosure(Guid CaseId, string Unit, DateOnly? FeedbackOn, DateTimeOffset? PublishedAt, bool ChecklistComplete, IReadOnlyList<DisclosureItem> Items);

public sealed record PublicItem(string Title, IReadOnlyList<string> Measures, string Status);

public sealed record PublicDisclosure(string Unit, DateOnly? FeedbackOn, int Disclosed, int Completed, string? Grade, decimal? SatisfactionRate, decimal? FundsRecovered, int? RulesEstablished, IReadOnlyList<PublicItem> Items);

/// <summary>
/// 整改情况公开: the internal version lists every problem with its checklist answer; the public version leaves out every
/// problem that has any exclusion (涉密、未结案件、易炒作、群体性信访、敏感) — and, by default, any problem not yet reviewed —
/// and carries no names of responsible persons and no facts, only titles, measures and status.
/// </summary>
public static class DisclosureVersions
{
    public static bool IsPublic(CaseProblem p) => p.Exclusions is { Count: 0 };

    private static string StatusOf(IReadOnlyList<RectificationTask> tasks) =>
        tasks.Count > 0 && tasks.All(t => t.Status == LedgerStatus.Closed) ? "已完成整改" : "正在整改";

    public static InternalDisclosure Internal(RectificationCase c, IReadOnlyList<RectificationTask> tasks) =>
        new(c.Id, c.TargetName, c.FeedbackOn, c.DisclosedAt, c.Problems.All(p => p.Exclusions is not null),
            [.. c.Problems.OrderBy(p => p.ReceivedAt).Select(p =>
            {
                var mine = tasks.Where(t => t.ProblemId == p.Id).ToList();
                return new DisclosureItem(p.Id, p.Title, [.. mine.Select(t => t.Measures)], StatusOf(mine), IsPublic(p), p.Exclusions);
            })]);

    public static PublicDisclosure Public(RectificationCase c, IReadOnlyList<RectificationTask> tasks, CaseEvaluation? evaluation)
    {
        var items = c.Problems.Where(IsPublic).OrderBy(p => p.ReceivedAt).Select(p =>
        {
            var mine = tasks.Where(t => t.ProblemId == p.Id).ToList();
            return new PublicItem(p.Title, [.. mine.Select(t => t.Measures)], StatusOf(mine));
        }).ToList();
        return new PublicDisclosure(c.TargetName, c.FeedbackOn, items.Count, items.Count(i => i.Status == "已完成整改"),
            evaluation is null ? null : GradeNames.Of(evaluation.Grade), evaluation?.SatisfactionRate, evaluation?.FundsRecovered, evaluation?.RulesEstablished, items);
    }
}
