using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Registry;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Statistics;

/// <summary>Clue figures by jurisdiction, term and round, counted the way the articles count them (件 of clues, 人 of outcomes).</summary>
public static class StatisticsEndpoints
{
    public sealed record ClueFigures(
        int Clues, int Held, int ReturnedAsProblem, int Transferred, int ToCommission, int ToOrganisationDepartment, int InHandling,
        int Closed, int ClosedWithHandling, int ConcludedWithoutAction, int Overdue,
        int OrganisationalHandlings, int CasesFiled, int Sanctions, int JudicialTransfers, decimal FundsRecovered);

    public sealed record RoundFigures(Guid RoundId, string? RoundName, ClueFigures Figures);

    public sealed record ClueStatistics(string Jurisdiction, Guid? TermId, Guid? RoundId, ClueFigures Totals, IReadOnlyList<RoundFigures> ByRound);

    public static void MapStatistics(this WebApplication app) =>
        app.MapGet("/statistics", Get).WithTags("统计")
            .RequireRoles(PlatformRoles.LeadingGroup, PlatformRoles.OfficeCoordinator, PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);

    private static async Task<Ok<ClueStatistics>> Get(HttpContext http, CluesDb db, ClueLedger ledger, CancellationToken ct,
        string? jurisdiction = null, Guid? termId = null, Guid? roundId = null)
    {
        var mine = http.User.Jurisdiction();
        var scope = string.IsNullOrWhiteSpace(jurisdiction) ? mine : jurisdiction;
        // Aggregates only, but still confined to the caller's subtree: the requested jurisdiction AND the caller's own.
        var query = db.Clues.AsNoTracking().Where(c => c.OwnerPath.Contains(scope) && c.OwnerPath.Contains(mine));
        if (termId is not null) query = query.Where(c => db.Rounds.Any(r => r.RoundId == c.RoundId && r.TermId == termId));
        if (roundId is not null) query = query.Where(c => c.RoundId == roundId);
        var rows = await query.Select(c => new Row(c.RoundId, c.Status, c.Destination, c.TransferredOn, c.FeedbackDueOn,
            c.OrganisationalHandlings, c.CasesFiled, c.Sanctions, c.JudicialTransfers, c.FundsRecovered)).ToListAsync(ct);
        var today = ledger.Today;
        var roundIds = rows.Select(r => r.RoundId).Distinct().ToList();
        var names = await db.Rounds.Where(r => roundIds.Contains(r.RoundId)).ToDictionaryAsync(r => r.RoundId, r => r.Name, ct);
        var byRound = rows.GroupBy(r => r.RoundId).OrderBy(g => names.GetValueOrDefault(g.Key)).ThenBy(g => g.Key)
            .Select(g => new RoundFigures(g.Key, names.GetValueOrDefault(g.Key), Figures(g.ToList(), today))).ToList();
        return TypedResults.Ok(new ClueStatistics(scope, termId, roundId, Figures(rows, today), byRound));
    }

    private sealed record Row(Guid RoundId, ClueStatus Status, Destination? Destination, DateOnly? TransferredOn, DateOnly? FeedbackDueOn,
        int OrganisationalHandlings, int CasesFiled, int Sanctions, int JudicialTransfers, decimal FundsRecovered);

    private static ClueFigures Figures(IReadOnlyList<Row> rows, DateOnly today) => new(
        Clues: rows.Count,
        Held: rows.Count(r => r.Status == ClueStatus.Held),
        ReturnedAsProblem: rows.Count(r => r.Status == ClueStatus.ReturnedAsProblem),
        Transferred: rows.Count(r => r.TransferredOn != null),
        ToCommission: rows.Count(r => r.Destination == Destination.Commission),
        ToOrganisationDepartment: rows.Count(r => r.Destination == Destination.OrganisationDepartment),
        InHandling: rows.Count(r => ClueStateMachine.AwaitingFeedback.Contains(r.Status)),
        // 办结 as the articles count it: every clue whose handling has ended, with or without action.
        Closed: rows.Count(r => ClueStateMachine.IsConcluded(r.Status)),
        ClosedWithHandling: rows.Count(r => r.Status == ClueStatus.Closed),
        ConcludedWithoutAction: rows.Count(r => r.Status == ClueStatus.ConcludedWithoutAction),
        Overdue: rows.Count(r => r.FeedbackDueOn < today && ClueStateMachine.AwaitingFeedback.Contains(r.Status)),
        OrganisationalHandlings: rows.Sum(r => r.OrganisationalHandlings),
        CasesFiled: rows.Sum(r => r.CasesFiled),
        Sanctions: rows.Sum(r => r.Sanctions),
        JudicialTransfers: rows.Sum(r => r.JudicialTransfers),
        FundsRecovered: rows.Sum(r => r.FundsRecovered));
}
