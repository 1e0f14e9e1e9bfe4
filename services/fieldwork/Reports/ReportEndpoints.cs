using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Papers;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Fieldwork.Reports;

public static class ReportEndpoints
{
    public sealed record AssembleReport(
        [property: Required, StringLength(20000, MinimumLength = 10)] string? OverallAssessment,
        [property: Required, StringLength(20000, MinimumLength = 10)] string? Suggestions);

    public sealed record ReviewReport([property: Required] bool? Approve, [property: StringLength(2000)] string? Comment);

    public sealed record DeliverFeedback([property: Range(1, 180)] int? PlanDueDays);

    public sealed record ReportView(Guid Id, Guid WorkspaceId, string Target, string OverallAssessment, string Suggestions,
        IReadOnlyList<ReportProblem> Problems, int ClueCount, string Status, string StatusText, string? ReviewComment, DateTimeOffset AssembledAt,
        DateTimeOffset? SubmittedAt, uint Version);

    public static void MapReports(this RouteGroupBuilder workspaces)
    {
        workspaces.MapPut("/{id:guid}/report", Assemble);
        workspaces.MapGet("/{id:guid}/report", Get);
        workspaces.MapPost("/{id:guid}/report/request-review", RequestReview);
        workspaces.MapPost("/{id:guid}/report/review", Review);
        workspaces.MapPost("/{id:guid}/report/submit", Submit);
        workspaces.MapPost("/{id:guid}/feedback", Feedback);
        workspaces.MapPost("/{id:guid}/complete", Complete);
    }

    internal static ReportView View(InspectionReport r, Workspace w) => new(r.Id, r.WorkspaceId, w.DisplayName, r.OverallAssessment, r.Suggestions,
        r.Problems, r.ClueCount, r.Status.ToString(), r.Status.Label(), r.ReviewComment, r.AssembledAt, r.SubmittedAt, r.Version);

    /// <summary>(Re)assembles from the signed papers as they are now; every signed paper must have its disposition first.</summary>
    private static async Task<IResult> Assemble(Guid id, AssembleReport request, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader) return Problems.Forbidden("The group leader assembles the report.");
        var report = await db.Reports.FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        if (report is not null && report.Status is not (ReportStatus.Draft or ReportStatus.Returned))
            return Problems.Conflict($"The report is {report.Status.Label()}; it can be reassembled only as a draft or after being returned.");
        var signed = await db.Papers.AsNoTracking().Where(p => p.WorkspaceId == id && p.Status == PaperStatus.Signed).OrderBy(p => p.Number).ToListAsync(ct);
        var undisposed = signed.Where(p => p.Disposition is null).ToList();
        if (undisposed.Count > 0)
        {
            return RuleProblems.Rule("存在未确定处置方式的问题", "Every signed paper needs its disposition before the report is assembled: " + string.Join("、", undisposed.Select(p => p.NumberText)),
                extensions: new Dictionary<string, object?> { ["rule"] = "disposition-required", ["papers"] = undisposed.Select(p => p.Id).ToArray() });
        }
        if (report is null)
        {
            report = new InspectionReport { Id = Guid.NewGuid(), WorkspaceId = id };
            db.Reports.Add(report);
        }
        report.OverallAssessment = request.OverallAssessment!.Trim();
        report.Suggestions = request.Suggestions!.Trim();
        report.Problems = [.. signed.Where(p => p.Disposition != Disposition.Clue).Select(p => new ReportProblem
        {
            PaperId = p.Id, FindingId = p.FindingId!.Value, Number = p.Number, Title = p.Title, Facts = p.Facts ?? "", Suggestion = p.Suggestion,
            Disposition = DispositionEndpoints.DispositionWire(p.Disposition!.Value),
        })];
        report.ClueCount = signed.Count(p => p.Disposition == Disposition.Clue);
        report.Status = ReportStatus.Draft;
        report.AssembledAt = clock.GetUtcNow();
        audit.Record(db, "report.assembled", "report", report.Id.ToString(), after: new { Problems = report.Problems.Count, report.ClueCount });
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(report, caller.Workspace));
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        return report is null ? Problems.NotFound("No report with that id is visible to you.") : Results.Ok(View(report, caller.Workspace));
    }

    private static async Task<IResult> RequestReview(Guid id, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader) return Problems.Forbidden("The group leader sends the report for the office's review.");
        var report = await db.Reports.FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        if (report is null) return Problems.NotFound("No report with that id is visible to you.");
        if (report.Status != ReportStatus.Draft) return Problems.Conflict($"The report is {report.Status.Label()}; reassemble it before asking for review.");
        report.Status = ReportStatus.UnderReview;
        audit.Record(db, "report.review-requested", "report", report.Id.ToString());
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(report, caller.Workspace));
    }

    /// <summary>组办会商: the office approves the report or returns it with comments.</summary>
    private static async Task<IResult> Review(Guid id, ReviewReport request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.Office) return Problems.Forbidden("The inspection office reviews the group's report.");
        var report = await db.Reports.FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        if (report is null) return Problems.NotFound("No report with that id is visible to you.");
        if (report.Status != ReportStatus.UnderReview) return Problems.Conflict($"The report is {report.Status.Label()}, not under review.");
        if (request.Approve == false && string.IsNullOrWhiteSpace(request.Comment))
            return RuleProblems.Rule("退回须说明理由", "Say why the report is returned.", new Dictionary<string, string[]> { ["comment"] = ["Required when returning."] });
        report.Status = request.Approve == true ? ReportStatus.Approved : ReportStatus.Returned;
        report.ReviewComment = request.Comment;
        report.ReviewedBy = caller.Subject;
        audit.Record(db, "report.reviewed", "report", report.Id.ToString(), after: new { Status = report.Status.ToString() }, reason: request.Comment);
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(report, caller.Workspace));
    }

    private static async Task<IResult> Submit(Guid id, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader) return Problems.Forbidden("The group leader submits the report.");
        var report = await db.Reports.FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        if (report is null) return Problems.NotFound("No report with that id is visible to you.");
        if (report.Status != ReportStatus.Approved) return Problems.Conflict($"The report is {report.Status.Label()}; the office must approve it first.");
        var w = caller.Workspace;
        report.Status = ReportStatus.Submitted;
        report.SubmittedAt = clock.GetUtcNow();
        db.AddEvent(new ReportSubmitted
        {
            ReportId = report.Id, RoundId = w.RoundId, GroupId = w.GroupId, TargetId = w.TargetId, Jurisdiction = w.Jurisdiction,
            ProblemCount = report.Problems.Count, ClueCount = report.ClueCount, SubmittedAt = report.SubmittedAt.Value,
        });
        audit.Record(db, "report.submitted", "report", report.Id.ToString());
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(report, caller.Workspace));
    }

    /// <summary>Feedback with the ordinary problems (立行立改 items already went to rectification on their own).</summary>
    private static async Task<IResult> Feedback(Guid id, DeliverFeedback request, HttpContext http, FieldworkDb db, AuditTrail audit,
        TimeProvider clock, IConfiguration configuration, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader && !caller.Office) return Problems.Forbidden("Feedback is delivered by the group leader or the office.");
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        if (report is not { Status: ReportStatus.Submitted }) return Problems.Conflict("Feedback follows the submitted report.");
        if (await db.Feedback.AnyAsync(f => f.WorkspaceId == id, ct)) return Problems.Conflict("Feedback was already delivered.");
        var w = caller.Workspace;
        var now = clock.GetUtcNow();
        var planDueDays = request.PlanDueDays ?? configuration.GetValue("Fieldwork:FeedbackPlanDueDays", 30);
        var problems = report.Problems.Where(p => p.Disposition == "ordinary").ToList();
        List<string> recipients = [$"{w.DisplayName}党组织"];
        if (w.IsVillage)
        {
            // 双反馈: the township Party committee hears the village's problems too.
            var township = await db.RoundTargets.AsNoTracking().Where(t => t.Code == w.TargetParentCode).Select(t => t.Name).FirstOrDefaultAsync(ct);
            recipients.Add($"{township ?? w.TargetParentCode ?? "所在乡镇"}党委");
        }
        var feedback = new FeedbackRecord
        {
            Id = Guid.NewGuid(), WorkspaceId = id, Recipients = recipients, ProblemCount = problems.Count, PlanDueDays = planDueDays,
            DeliveredAt = now, DeliveredBy = caller.DisplayName,
        };
        db.Feedback.Add(feedback);
        db.AddEvent(new FeedbackDelivered
        {
            FeedbackId = feedback.Id, RoundId = w.RoundId, TargetId = w.TargetId, TargetCode = w.TargetCode, TargetName = w.DisplayName,
            Jurisdiction = w.Jurisdiction, JurisdictionPath = w.TargetPath.Count > 0 ? w.TargetPath : w.DirectingPath,
            Problems = [.. problems.Select(p => new FeedbackProblem { FindingId = p.FindingId, Title = p.Title, Facts = p.Facts, Suggestion = p.Suggestion ?? "" })],
            PlanDueDays = planDueDays, DeliveredAt = now,
        });
        audit.Record(db, "feedback.delivered", "feedback", feedback.Id.ToString(), after: new { feedback.Recipients, feedback.ProblemCount });
        await db.SaveChangesAsync(ct);
        return Results.Ok(new { feedback.Id, feedback.Recipients, feedback.ProblemCount, feedback.PlanDueDays, feedback.DeliveredAt, dualFeedback = recipients.Count > 1 });
    }

    /// <summary>巡察结束: the figures and each member's contribution go to planning and staffing.</summary>
    private static async Task<IResult> Complete(Guid id, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (!caller.IsLeader) return Problems.Forbidden("The group leader closes the fieldwork.");
        var w = caller.Workspace;
        if (w.CompletedAt is not null) return Problems.Conflict("Fieldwork on this target is already completed.");
        if (!await db.Feedback.AnyAsync(f => f.WorkspaceId == id, ct)) return Problems.Conflict("Fieldwork completes after feedback is delivered.");
        var papers = await db.Papers.AsNoTracking().Where(p => p.WorkspaceId == id).ToListAsync(ct);
        var petitions = await db.Petitions.CountAsync(p => p.WorkspaceId == id, ct);
        var signed = papers.Where(p => p.Status == PaperStatus.Signed).ToList();
        w.CompletedAt = clock.GetUtcNow();
        db.AddEvent(new FieldworkCompleted
        {
            RoundId = w.RoundId, GroupId = w.GroupId, TargetId = w.TargetId, Jurisdiction = w.Jurisdiction,
            ProblemsFound = signed.Count(p => p.Disposition != Disposition.Clue),
            CluesRaised = signed.Count(p => p.Disposition == Disposition.Clue),
            PetitionsReceived = petitions,
            Contributions = [.. w.Group.Members.Select(m => new MemberContribution
            {
                CadreId = m.CadreId,
                ProblemsFound = signed.Count(p => p.DrafterCadreId == m.CadreId && p.Disposition != Disposition.Clue),
                WorkingPapersAccepted = signed.Count(p => p.DrafterCadreId == m.CadreId),
                WorkingPapersReturned = papers.Where(p => p.DrafterCadreId == m.CadreId).Sum(p => p.ReturnCount),
            })],
            CompletedAt = w.CompletedAt.Value,
        });
        audit.Record(db, "fieldwork.completed", "workspace", w.Id.ToString());
        await db.SaveChangesAsync(ct);
        return Results.Ok(new { w.Id, w.CompletedAt });
    }
}
