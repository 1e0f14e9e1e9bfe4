using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Ledger;

namespace Xuncha.Rectification.Documents;

public static class DocumentEndpoints
{
    public static void MapDocuments(this WebApplication app)
    {
        var g = app.MapGroup("").WithTags("Documents");
        g.MapGet("/cases/{id:guid}/documents/rectification-notice.docx", Notice);
        g.MapGet("/cases/{id:guid}/documents/monthly-report.docx", Monthly);
        g.MapGet("/tasks/{id:guid}/documents/supervision-order.docx", Supervision);
    }

    private static IResult File(byte[] bytes, string name) => TypedResults.File(bytes, Docx.ContentType, name);

    private static async Task<IResult> Notice(Guid id, HttpContext http, RectificationDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        if (c.FeedbackOn is null) return Problems.Conflict("The feedback has not been delivered; there is no notice yet.");
        return File(RectificationDocuments.Notice(c, c.FeedbackOn.Value), $"rectification-notice-{c.TargetCode}.docx");
    }

    private static async Task<IResult> Supervision(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleTaskAsync(http.User, id, ct) is not (var task, var c)) return Problems.NotFound(CaseLookup.NotFoundTask(id));
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.TaskId == id && n.Step == EscalationStep.SupervisionOrder, ct);
        if (notice is null) return Problems.NotFound("No supervision order has been issued for this task.");
        return File(RectificationDocuments.SupervisionOrder(c, task, c.Problems.FirstOrDefault(p => p.Id == task.ProblemId), notice, notice.IssuedOn), $"supervision-order-{id:N}.docx");
    }

    /// <summary>月报 for ?month=yyyy-MM (default: the current month).</summary>
    private static async Task<IResult> Monthly(Guid id, string? month, HttpContext http, RectificationDb db, TimeProvider clock, IOptions<RectificationOptions> options, CancellationToken ct)
    {
        var today = clock.Today();
        var first = new DateOnly(today.Year, today.Month, 1);
        if (month is not null && !DateOnly.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
        {
            return Problems.Invalid("month", "yyyy-MM");
        }
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), ChinaDate.Offset).ToUniversalTime();
        var to = new DateTimeOffset(first.AddMonths(1).ToDateTime(TimeOnly.MinValue), ChinaDate.Offset).ToUniversalTime();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == id && t.Status != Plans.LedgerStatus.Draft).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var taskIds = tasks.Select(t => t.Id).ToList();
        var notices = await db.Notices.AsNoTracking().Where(n => n.CaseId == id && n.IssuedAt >= from && n.IssuedAt < to).ToListAsync(ct);
        var updates = await db.Updates.CountAsync(u => taskIds.Contains(u.TaskId) && u.At >= from && u.At < to, ct);
        var now = clock.GetUtcNow();
        var bytes = RectificationDocuments.MonthlyReport(c, tasks, notices, updates, first, today, t => LedgerRules.UpdateMissing(t, now, options.Value.UpdateIntervalDays));
        return File(bytes, $"monthly-report-{c.TargetCode}-{first:yyyy-MM}.docx");
    }
}
