using Xuncha.ServiceDefaults.Http;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Papers;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Fieldwork.Suggestions;

public static class SuggestionEndpoints
{
    public sealed record SuggestionView(Guid Id, string Origin, string Title, string Facts, decimal? Amount, string Status, string StatusText,
        string? DismissReason, Guid? PaperId, DateTimeOffset SuggestedAt);

    public sealed record DismissSuggestion([property: Required, StringLength(1000, MinimumLength = 2)] string? Reason);

    public static void MapSuggestions(this RouteGroupBuilder workspaces)
    {
        workspaces.MapGet("/{id:guid}/suggestions", List);
        workspaces.MapPost("/{id:guid}/suggestions/{suggestionId:guid}/verify", Verify);
        workspaces.MapPost("/{id:guid}/suggestions/{suggestionId:guid}/dismiss", Dismiss);
    }

    private static SuggestionView View(SuggestedProblem s) =>
        new(s.Id, s.Origin, s.Title, s.Facts, s.Amount, s.Status.ToString(), s.Status.Label(), s.DismissReason, s.PaperId, s.SuggestedAt);

    private static IQueryable<SuggestedProblem> For(FieldworkDb db, Workspace w) =>
        db.Suggestions.Where(s => s.RoundId == w.RoundId && s.TargetId == w.TargetId && (s.GroupId == null || s.GroupId == w.GroupId));

    private static async Task<IResult> List(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        var items = await For(db, caller.Workspace).AsNoTracking().OrderBy(s => s.SuggestedAt).ToListAsync(ct);
        return Results.Ok(items.Select(View));
    }

    /// <summary>Verified: becomes a draft working paper (source audit / data comparison) for the member to complete.</summary>
    private static async Task<IResult> Verify(Guid id, Guid suggestionId, HttpContext http, FieldworkDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Suggested problems are verified by members of the group.");
        var suggestion = await For(db, caller.Workspace).FirstOrDefaultAsync(s => s.Id == suggestionId, ct);
        if (suggestion is null) return Problems.NotFound("No suggested problem with that id is visible to you.");
        if (suggestion.Status != SuggestionStatus.Open) return Problems.Conflict($"The suggestion is already {suggestion.Status.Label()}.");
        var paper = PaperEndpoints.NewDraft(caller, await PaperEndpoints.NextNumberAsync(db, id, ct), clock.GetUtcNow(), suggestion.Id);
        paper.Title = suggestion.Title.Length > 200 ? suggestion.Title[..200] : suggestion.Title;
        paper.Source = suggestion.Origin == SuggestedProblem.AuditOrigin ? ProblemSource.Audit : ProblemSource.DataComparison;
        paper.Facts = suggestion.Facts;
        paper.Amount = suggestion.Amount;
        db.Papers.Add(paper);
        suggestion.Status = SuggestionStatus.Verified;
        suggestion.PaperId = paper.Id;
        audit.Record(db, "suggestion.verified", "suggested-problem", suggestion.Id.ToString(), after: new { paper.Id, paper.Number });
        await db.SaveChangesAsync(ct);
        return Results.Created($"/workspaces/{id}/papers/{paper.Id}", PaperEndpoints.View(paper));
    }

    private static async Task<IResult> Dismiss(Guid id, Guid suggestionId, DismissSuggestion request, HttpContext http, FieldworkDb db, AuditTrail audit, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        if (caller.Member is null) return Problems.Forbidden("Suggested problems are dismissed by members of the group.");
        var suggestion = await For(db, caller.Workspace).FirstOrDefaultAsync(s => s.Id == suggestionId, ct);
        if (suggestion is null) return Problems.NotFound("No suggested problem with that id is visible to you.");
        if (suggestion.Status != SuggestionStatus.Open) return Problems.Conflict($"The suggestion is already {suggestion.Status.Label()}.");
        suggestion.Status = SuggestionStatus.Dismissed;
        suggestion.DismissReason = request.Reason!.Trim();
        audit.Record(db, "suggestion.dismissed", "suggested-problem", suggestion.Id.ToString(), reason: suggestion.DismissReason);
        await db.SaveChangesAsync(ct);
        return Results.Ok(View(suggestion));
    }
}
