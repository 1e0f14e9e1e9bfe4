using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Ledger;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Rectification.Cases;

public static class CaseEndpoints
{
    public sealed record ProblemView(Guid Id, ProblemSource Source, string Title, string Facts, string Suggestion, DateOnly? DueOn, IReadOnlyList<DisclosureExclusion>? Exclusions);

    public sealed record TaskView(
        Guid Id, Guid ProblemId, string Measures, string FirstResponsible, string Responsible, string Liaison, DateOnly DueOn, TaskTerm Term,
        LedgerStatus Status, EscalationLevel Level, bool UpdateMissing, bool FalseRectification, bool Rebounded, string? ClosureSummary,
        string? ReviewComments, DateTimeOffset? ClosedAt, DateTimeOffset? LastUpdateAt, uint Version);

    public sealed record CaseView(
        Guid Id, Guid RoundId, Guid TargetId, string TargetCode, string TargetName, string Jurisdiction, IReadOnlyList<string> JurisdictionPath,
        DateOnly? FeedbackOn, DateOnly? PlanDueOn, bool PlanOverdue, PlanStatus PlanStatus, string? PlanComments, DateTimeOffset? PlanSubmittedAt, bool PlanLate,
        IReadOnlyList<ProblemView> Problems, IReadOnlyList<TaskView> Tasks, int TasksClosed, DateTimeOffset? DisclosedAt, uint Version);

    public sealed record CaseSummary(Guid Id, Guid RoundId, string TargetName, string UnitJurisdiction, PlanStatus PlanStatus, DateOnly? PlanDueOn, int Problems);

    public static void MapCases(this WebApplication app)
    {
        var g = app.MapGroup("/cases").WithTags("Cases");
        g.MapGet("", List);
        g.MapGet("/{id:guid}", Get);
    }

    /// <summary>The cases the caller may see: a unit its own, the office those in its subtree.</summary>
    private static async Task<IResult> List(HttpContext http, RectificationDb db, CancellationToken ct)
    {
        var user = http.User;
        var me = user.Jurisdiction();
        if (me.Length == 0) return TypedResults.Ok(Array.Empty<CaseSummary>());
        var candidates = await db.Cases.AsNoTracking().Where(c => c.JurisdictionPath.Contains(me)).OrderBy(c => c.OpenedAt)
            .Select(c => new { Case = c, Problems = c.Problems.Count }).ToListAsync(ct);
        return TypedResults.Ok(candidates.Where(x => user.CanSee(x.Case))
            .Select(x => new CaseSummary(x.Case.Id, x.Case.RoundId, x.Case.TargetName, x.Case.UnitJurisdiction, x.Case.PlanStatus, x.Case.PlanDueOn, x.Problems)).ToList());
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == id).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(View(c, tasks, clock.GetUtcNow(), options.Value));
    }

    internal static CaseView View(RectificationCase c, IReadOnlyList<RectificationTask> tasks, DateTimeOffset now, RectificationOptions options) =>
        new(c.Id, c.RoundId, c.TargetId, c.TargetCode, c.TargetName, c.Jurisdiction, c.JurisdictionPath, c.FeedbackOn, c.PlanDueOn,
            PlanOverdue: c.PlanDueOn is { } due && c.PlanSubmittedAt is null && ChinaDate.Of(now) > due,
            c.PlanStatus, c.PlanComments, c.PlanSubmittedAt, c.PlanLate,
            [.. c.Problems.OrderBy(p => p.ReceivedAt).Select(p => new ProblemView(p.Id, p.Source, p.Title, p.Facts, p.Suggestion, p.DueOn, p.Exclusions))],
            [.. tasks.Select(t => TaskViewOf(t, now, options))], tasks.Count(t => t.Status == LedgerStatus.Closed), c.DisclosedAt, c.Version);

    internal static TaskView TaskViewOf(RectificationTask t, DateTimeOffset now, RectificationOptions options) =>
        new(t.Id, t.ProblemId, t.Measures, t.FirstResponsible, t.Responsible, t.Liaison, t.DueOn, t.Term, t.Status, t.Level,
            LedgerRules.UpdateMissing(t, now, options.UpdateIntervalDays), t.FalseRectification, t.Rebounded, t.ClosureSummary, t.ReviewComments,
            t.ClosedAt, t.LastUpdateAt, t.Version);
}
