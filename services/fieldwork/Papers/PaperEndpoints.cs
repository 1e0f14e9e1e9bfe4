using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Papers;

public static class PaperEndpoints
{
    public sealed record PaperContent(
        [property: Required, StringLength(200, MinimumLength = 2)] string? Title,
        [property: Required] ProblemSource? Source,
        [property: StringLength(200)] string? OccurredPeriod,
        [property: StringLength(10000)] string? Facts,
        [property: StringLength(2000)] string? Figures,
        [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Amount,
        [property: StringLength(4000)] string? Causes,
        [property: StringLength(1000)] string? Nature,
        [property: StringLength(2000)] string? Degree,
        [property: StringLength(2000)] string? Impact,
        [property: StringLength(4000)] string? PolicyBasis,
        [property: MaxLength(50)] List<string>? Evidence,
        [property: StringLength(200)] string? ResponsiblePerson,
        [property: MaxLength(20)] List<string>? InvolvedPersons,
        Guid? StandardItemId,
        [property: StringLength(4000)] string? Suggestion,
        uint? Version);

    public sealed record SignOffDecision([property: StringLength(1000)] string? Comment);

    public sealed record ReturnForRevision([property: Required, StringLength(1000, MinimumLength = 2)] string? Reason);

    public sealed record PaperView(Guid Id, Guid WorkspaceId, int Number, string NumberText, string Title, string Source, string SourceText,
        string? OccurredPeriod, string? Facts, string? Figures, decimal? Amount, string? Causes, string? Nature, string? Degree, string? Impact,
        string? PolicyBasis, IReadOnlyList<string> Evidence, string? ResponsiblePerson, IReadOnlyList<string> InvolvedPersons,
        Guid? StandardItemId, string? Suggestion, string DrafterName, string Status, string StatusText, int ReturnCount,
        IReadOnlyList<SignOffEntry> SignOffs, string? Disposition, bool Redacted, uint Version);

    public static PaperView View(WorkingPaper p) => new(p.Id, p.WorkspaceId, p.Number, p.NumberText, p.Title, p.Source.ToString(), p.Source.Label(),
        p.OccurredPeriod, p.Facts, p.Figures, p.Amount, p.Causes, p.Nature, p.Degree, p.Impact, p.PolicyBasis, p.Evidence, p.ResponsiblePerson,
        p.InvolvedPersons, p.StandardItemId, p.Suggestion, p.DrafterName, p.Status.ToString(), p.Status.Label(), p.ReturnCount, p.SignOffs,
        p.Disposition?.ToString(), p.Redacted, p.Version);

    public static void MapPapers(this RouteGroupBuilder workspaces)
    {
        workspaces.MapPost("/{id:guid}/papers", Create);
        workspaces.MapGet("/{id:guid}/papers", List);
        workspaces.MapGet("/{id:guid}/papers/{paperId:guid}", Get);
        workspaces.MapPut("/{id:guid}/papers/{paperId:guid}", Edit);
        workspaces.MapPost("/{id:guid}/papers/{paperId:guid}/submit", Submit);
        workspaces.MapPost("/{id:guid}/papers/{paperId:guid}/approve", Approve);
        workspaces.MapPost("/{id:guid}/papers/{paperId:guid}/return", Return);
    }

    internal static async Task<(WorkspaceCaller? Caller, WorkingPaper? Paper)> FindAsync(FieldworkDb db, HttpContext http, Guid id, Guid paperId, CancellationToken ct)
    {
        var caller = await db.FindWorkspaceAsync(http.User, id, ct);
        if (caller is null) return (null, null);
        return (caller, await db.Papers.FirstOrDefaultAsync(p => p.Id == paperId && p.WorkspaceId == id, ct));
    }

    internal static WorkingPaper NewDraft(WorkspaceCaller author, int number, DateTimeOffset now, Guid? suggestedProblemId = null) => new()
    {
        Id = Guid.NewGuid(), WorkspaceId = author.Workspace.Id, Number = number, Status = PaperStatus.Draft, CreatedAt = now,
        DrafterSubject = author.Subject, DrafterCadreId = author.Member!.CadreId, DrafterName = author.Member.Name,
        SuggestedProblemId = suggestedProblemId,
    };

    internal static async Task<int> NextNumberAsync(FieldworkDb db, Guid workspaceId, CancellationToken ct) =>
        (await db.Papers.Where(p => p.WorkspaceId == workspaceId).MaxAsync(p => (int?)p.Number, ct) ?? 0) + 1;

    private static IResult? Apply(WorkingPaper p, PaperContent c)
    {
        if (!Enum.IsDefined(c.Source!.Value)) return Problems.Invalid("source", "Unknown source.");
        p.Title = c.Title!.Trim();
        p.Source = c.Source.Value;
        p.OccurredPeriod = c.OccurredPeriod;
        p.Facts = c.Facts;
        p.Figures = c.Figures;
        p.Amount = c.Amount;
        p.Causes = c.Causes;
        p.Nature = c.Nature;
        p.Degree = c.Degree;
        p.Impact = c.Impact;
        p.PolicyBasis = c.PolicyBasis;
        p.Evidence = [.. (c.Evidence ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim())];
        p.ResponsiblePerson = c.ResponsiblePerson;
        p.InvolvedPersons = [.. (c.InvolvedPersons ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim())];
        p.StandardItemId = c.StandardItemId;
        p.Suggestion = c.Suggestion;
        return p.Evidence.Concat(p.InvolvedPersons).Any(x => x.Length > 500) ? Problems.Invalid("evidence", "Each item is at most 500 characters.") : null;
    }

    private static async Task<IResult> Create(Guid id, PaperContent request, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Working papers are drafted by members of the group.");
        if (caller.Workspace.CompletedAt is not null) return Problems.Conflict("Fieldwork on this target is completed.");
        var paper = NewDraft(caller, await NextNumberAsync(db, id, ct), clock.GetUtcNow());
        if (Apply(paper, request) is { } invalid) return invalid;
        db.Papers.Add(paper);
        audit.Record(db, "paper.drafted", "working-paper", paper.Id.ToString(), after: new { paper.Number, paper.Title });
        await db.SaveChangesAsync(ct);
        return Results.Created($"/workspaces/{id}/papers/{paper.Id}", View(paper));
    }

    private static async Task<IResult> List(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is null) return Problems.NotFound("No workspace with that id is visible to you.");
        var papers = await db.Papers.AsNoTracking().Where(p => p.WorkspaceId == id).OrderBy(p => p.Number).ToListAsync(ct);
        return Results.Ok(papers.Select(View));
    }

    private static async Task<IResult> Get(Guid id, Guid paperId, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        var (caller, paper) = await FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        return paper is null ? Problems.NotFound("No working paper with that id is visible to you.") : Results.Ok(View(paper));
    }

    /// <summary>Only the drafter edits, only while the paper is a draft (new or returned); a stale version is a 409.</summary>
    private static async Task<IResult> Edit(Guid id, Guid paperId, PaperContent request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        var (caller, paper) = await FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        if (paper is null) return Problems.NotFound("No working paper with that id is visible to you.");
        if (paper.DrafterSubject != caller.Subject) return Problems.Forbidden("Only the drafter edits a working paper.");
        if (paper.Status != PaperStatus.Draft) return Problems.Conflict($"The paper is {paper.Status.Label()}; it can be edited only as a draft.");
        if (request.Version is { } v) db.Entry(paper).Property(x => x.Version).OriginalValue = v;
        var before = View(paper);
        if (Apply(paper, request) is { } invalid) return invalid;
        audit.Record(db, "paper.edited", "working-paper", paper.Id.ToString(), before, View(paper));
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(paper));
    }

    /// <summary>Drafter → deputy leader: refused with every missing element when the paper fails 五见两清.</summary>
    private static async Task<IResult> Submit(Guid id, Guid paperId, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, paper) = await FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        if (paper is null) return Problems.NotFound("No working paper with that id is visible to you.");
        if (paper.DrafterSubject != caller.Subject) return Problems.Forbidden("Only the drafter submits a working paper.");
        if (paper.Status != PaperStatus.Draft) return Problems.Conflict($"The paper is {paper.Status.Label()}, not a draft.");
        var gaps = QualityGate.Missing(paper);
        if (gaps.Count > 0)
        {
            return RuleProblems.Rule("底稿不符合“五见两清”要求", "The working paper lacks: " + string.Join("、", gaps.Select(g => g.Requirement)),
                gaps.ToDictionary(g => g.Field, g => new[] { g.Requirement }),
                new Dictionary<string, object?> { ["rule"] = "five-shows-two-clears", ["missing"] = gaps.Select(g => g.Field).ToArray() });
        }
        Step(paper, caller, "起草", "提交", null, clock);
        paper.Status = PaperStatus.AwaitingDeputy;
        audit.Record(db, "paper.submitted", "working-paper", paper.Id.ToString(), after: new { Status = paper.Status.ToString() });
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(paper));
    }

    /// <summary>Deputy leader reviews (待副组长审核), then the leader signs (待组长签批); nobody signs their own paper.</summary>
    private static async Task<IResult> Approve(Guid id, Guid paperId, SignOffDecision request, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, paper) = await FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        if (paper is null) return Problems.NotFound("No working paper with that id is visible to you.");
        if (CheckSigner(caller, paper) is { } refused) return refused;
        if (paper.Status == PaperStatus.AwaitingDeputy)
        {
            Step(paper, caller, "副组长审核", "同意", request.Comment, clock);
            paper.Status = PaperStatus.AwaitingLeader;
        }
        else
        {
            Step(paper, caller, "组长签批", "同意", request.Comment, clock);
            paper.Status = PaperStatus.Signed;
            paper.SignedAt = clock.GetUtcNow();
        }
        audit.Record(db, "paper.approved", "working-paper", paper.Id.ToString(), after: new { Status = paper.Status.ToString() }, reason: request.Comment);
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(paper));
    }

    private static async Task<IResult> Return(Guid id, Guid paperId, ReturnForRevision request, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, paper) = await FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        if (paper is null) return Problems.NotFound("No working paper with that id is visible to you.");
        if (CheckSigner(caller, paper) is { } refused) return refused;
        Step(paper, caller, paper.Status == PaperStatus.AwaitingDeputy ? "副组长审核" : "组长签批", "退回修改", request.Reason, clock);
        paper.Status = PaperStatus.Draft;
        paper.ReturnCount++;
        audit.Record(db, "paper.returned", "working-paper", paper.Id.ToString(), after: new { Status = paper.Status.ToString(), paper.ReturnCount }, reason: request.Reason);
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(paper));
    }

    private static IResult? CheckSigner(WorkspaceCaller caller, WorkingPaper paper)
    {
        switch (paper.Status)
        {
            case PaperStatus.AwaitingDeputy when !caller.IsDeputy:
                return Problems.Forbidden("This step is the deputy leader's (副组长审核).");
            case PaperStatus.AwaitingLeader when !caller.IsLeader:
                return Problems.Forbidden("This step is the leader's (组长签批).");
            case PaperStatus.Draft or PaperStatus.Signed:
                return Problems.Conflict($"The paper is {paper.Status.Label()}; there is no sign-off step pending.");
        }
        return paper.DrafterSubject == caller.Subject
            ? RuleProblems.Rule("不得审核本人起草的底稿", "The drafter may not review or sign their own paper.", extensions: new Dictionary<string, object?> { ["rule"] = "four-eyes" })
            : null;
    }

    private static void Step(WorkingPaper paper, WorkspaceCaller caller, string step, string decision, string? comment, TimeProvider clock) =>
        paper.SignOffs = [.. paper.SignOffs, new SignOffEntry { Step = step, Decision = decision, By = caller.Subject, Name = caller.DisplayName, At = clock.GetUtcNow(), Comment = comment }];
}
