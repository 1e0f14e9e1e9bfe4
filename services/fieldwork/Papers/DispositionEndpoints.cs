using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Documents;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Fieldwork.Papers;

/// <summary>What a signed problem becomes: an ordinary finding, 立行立改, or a clue about an individual (then it leaves this service).</summary>
public static class DispositionEndpoints
{
    public sealed record DisposePaper(
        [property: Required] Disposition? Kind,
        DateOnly? DueOn,
        [property: StringLength(2000)] string? Requirement);

    public sealed record ImmediateItemView(Guid Id, Guid PaperId, int NoticeNumber, string Problem, string? Requirement, DateOnly DueOn, DateTimeOffset RequestedAt);

    /// <summary>Working days the unit gets to fix an immediate item when the leader names no date.</summary>
    private const int DefaultImmediateDays = 10;

    public static void MapDispositions(this RouteGroupBuilder workspaces)
    {
        workspaces.MapPost("/{id:guid}/papers/{paperId:guid}/disposition", Dispose);
        workspaces.MapGet("/{id:guid}/immediate-items", List);
        workspaces.MapGet("/{id:guid}/immediate-items/{itemId:guid}/notice.docx", Notice);
    }

    private static async Task<IResult> Dispose(Guid id, Guid paperId, DisposePaper request, HttpContext http, FieldworkDb db, AuditTrail audit,
        TimeProvider clock, WorkingCalendar calendar, CancellationToken ct)
    {
        var (caller, paper) = await PaperEndpoints.FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        if (paper is null) return Problems.NotFound("No working paper with that id is visible to you.");
        if (!caller.IsLeader) return Problems.Forbidden("The group leader (组长) decides what a signed problem becomes.");
        if (!Enum.IsDefined(request.Kind!.Value)) return Problems.Invalid("kind", "Unknown disposition.");
        if (paper.Status != PaperStatus.Signed) return Problems.Conflict($"Only a signed paper is disposed; this one is {paper.Status.Label()}.");
        if (paper.Disposition is not null) return Problems.Conflict($"The paper was already disposed as {paper.Disposition.Value.Label()}.");

        // Every rule is checked before anything changes.
        var today = clock.Today();
        var due = request.DueOn ?? calendar.AddWorkingDays(today, DefaultImmediateDays);
        if (request.Kind == Disposition.ImmediateRectification && due <= today)
            return RuleProblems.Rule("整改期限无效", "dueOn must be after today.", new Dictionary<string, string[]> { ["dueOn"] = ["Must be a future date."] });
        if (request.Kind == Disposition.Clue && paper.InvolvedPersons.Count == 0)
            return RuleProblems.Rule("线索须列明涉及人员", "A clue is about an individual: name the involved persons on the paper first.",
                new Dictionary<string, string[]> { ["involvedPersons"] = ["Required for a clue."] });

        var w = caller.Workspace;
        var now = clock.GetUtcNow();
        var path = w.TargetPath.Count > 0 ? w.TargetPath : w.DirectingPath;
        paper.Disposition = request.Kind;
        paper.DisposedAt = now;
        paper.FindingId = Guid.NewGuid();
        if (request.Kind == Disposition.ImmediateRectification)
        {
            var number = (await db.ImmediateItems.Where(i => i.WorkspaceId == id).MaxAsync(i => (int?)i.NoticeNumber, ct) ?? 0) + 1;
            var item = new ImmediateRectificationItem
            {
                Id = Guid.NewGuid(), WorkspaceId = id, PaperId = paper.Id, NoticeNumber = number, Problem = $"{paper.Title}：{paper.Facts}",
                Requirement = request.Requirement ?? paper.Suggestion, DueOn = due, RequestedAt = now, RequestedBy = caller.DisplayName,
            };
            db.ImmediateItems.Add(item);
            db.AddEvent(new ImmediateRectificationRequested
            {
                ItemId = item.Id, RoundId = w.RoundId, TargetId = w.TargetId, TargetName = w.DisplayName, Jurisdiction = w.Jurisdiction,
                JurisdictionPath = path, Problem = item.Problem, DueOn = due, RequestedAt = now,
            });
        }
        else if (request.Kind == Disposition.Clue)
        {
            paper.ClueId = Guid.NewGuid();
            db.AddEvent(new ClueRaised
            {
                ClueId = paper.ClueId.Value, RoundId = w.RoundId, GroupId = w.GroupId, TargetId = w.TargetId, TargetName = w.DisplayName,
                Jurisdiction = w.Jurisdiction, JurisdictionPath = path, InvolvedPersons = [.. paper.InvolvedPersons],
                Allegation = string.Join("\n", new[] { paper.Title, paper.OccurredPeriod, paper.Facts, paper.Figures, paper.Nature, paper.PolicyBasis }.Where(s => !string.IsNullOrWhiteSpace(s))),
                EvidenceReferences = [.. paper.Evidence], Source = SourceWire(paper.Source), RaisedAt = now,
            });
        }
        db.AddEvent(new FindingRecorded
        {
            FindingId = paper.FindingId.Value, RoundId = w.RoundId, GroupId = w.GroupId, TargetId = w.TargetId, Jurisdiction = w.Jurisdiction,
            // A clue's title may name the person: the finding only says a clue was handed over.
            Title = request.Kind == Disposition.Clue ? "问题线索（已移交）" : paper.Title,
            StandardItemId = paper.StandardItemId, Disposition = DispositionWire(request.Kind.Value), RecordedAt = now,
        });
        if (request.Kind == Disposition.Clue) paper.Redact();
        // The audit row says what was decided, not the clue's contents.
        audit.Record(db, "paper.disposed", "working-paper", paper.Id.ToString(), after: new { Disposition = paper.Disposition.ToString(), paper.FindingId, paper.ClueId });
        await db.SaveChangesAsync(ct);
        return Results.Ok(PaperEndpoints.View(paper));
    }

    public static string DispositionWire(Disposition d) => d switch
    {
        Disposition.Ordinary => "ordinary",
        Disposition.ImmediateRectification => "immediate-rectification",
        _ => "clue",
    };

    public static string SourceWire(ProblemSource s) => s switch
    {
        ProblemSource.DataComparison => "data",
        ProblemSource.DocumentReview => "document-review",
        _ => s.ToString().ToLowerInvariant(),
    };

    private static async Task<IResult> List(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is null) return Problems.NotFound("No workspace with that id is visible to you.");
        var items = await db.ImmediateItems.AsNoTracking().Where(i => i.WorkspaceId == id).OrderBy(i => i.NoticeNumber).ToListAsync(ct);
        return Results.Ok(items.Select(i => new ImmediateItemView(i.Id, i.PaperId, i.NoticeNumber, i.Problem, i.Requirement, i.DueOn, i.RequestedAt)));
    }

    private static async Task<IResult> Notice(Guid id, Guid itemId, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        var item = await db.ImmediateItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId && i.WorkspaceId == id, ct);
        if (item is null) return Problems.NotFound("No immediate-rectification item with that id is visible to you.");
        var w = caller.Workspace;
        var doc = new DocxDocument()
            .Title("立行立改通知书")
            .Right($"{w.Group.Name}〔{item.RequestedAt.Year}〕第{item.NoticeNumber}号")
            .Paragraph($"{w.DisplayName}党组织：", indent: false)
            .Paragraph($"{w.Group.Name}在巡察中发现你单位存在以下问题，属于能够立即整改的问题，现通知你单位立行立改：")
            .Field("问题", item.Problem)
            .Field("整改要求", item.Requirement)
            .Field("完成时限", item.DueOn.Chinese())
            .Paragraph("请于完成时限前将整改情况书面报送巡察组，并附相关佐证材料。")
            .Right(w.Group.Name)
            .Right(DateOnly.FromDateTime(item.RequestedAt.UtcDateTime).Chinese());
        return DocxDocument.File(doc.ToBytes(), $"immediate-rectification-{item.NoticeNumber}.docx");
    }
}
