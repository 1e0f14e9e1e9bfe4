using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Clues.Deadlines;

public static class OverdueEndpoints
{
    public sealed record OverdueClue(Guid ClueId, string TargetName, ClueStatus Status, DateOnly FeedbackDueOn, int DaysOverdue,
        DateTimeOffset? FlaggedAt, int Reminders, DateTimeOffset? LastRemindedAt, string? CommissionReference);

    public static void MapOverdue(this WebApplication app) =>
        app.MapGet("/clues/overdue", List).WithTags("反馈期限")
            .RequireRoles(PlatformRoles.ClueOfficer, PlatformRoles.CommissionCaseOfficer);

    private static async Task<Ok<List<OverdueClue>>> List(ClueAccess access, CluesDb db, ClueLedger ledger, CancellationToken ct)
    {
        var today = ledger.Today;
        var awaiting = ClueStateMachine.AwaitingFeedback.ToList();
        var rows = await access.Readable().Where(c => awaiting.Contains(c.Status) && c.FeedbackDueOn < today)
            .OrderBy(c => c.FeedbackDueOn).Take(500).ToListAsync(ct);
        access.RecordListed(rows.Select(r => r.Id));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(rows.Select(c => new OverdueClue(c.Id, c.TargetName, c.Status, c.FeedbackDueOn!.Value,
            today.DayNumber - c.FeedbackDueOn.Value.DayNumber, c.OverdueFlaggedAt, c.Reminders, c.LastRemindedAt, c.CommissionReference)).ToList());
    }
}
