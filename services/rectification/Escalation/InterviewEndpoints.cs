using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Rectification.FollowUps;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Rectification.Escalation;

/// <summary>Escalation notices per case, and 约谈 records: who interviewed whom, the commitments, linked tasks, the follow-up visit.</summary>
public static class InterviewEndpoints
{
    public sealed record RecordRequest(uint? Version, string? Interviewer, string? Interviewee, DateOnly? HeldOn, List<string>? Commitments, List<Guid>? TaskIds, DateOnly? FollowUpOn);
    public sealed record NoticeView(Guid Id, Guid TaskId, EscalationStep Step, int OverdueWorkingDays, DateOnly IssuedOn);

    public static void MapInterviews(this WebApplication app)
    {
        var read = app.MapGroup("/cases/{id:guid}").WithTags("Escalation");
        read.MapGet("/notices", Notices);
        read.MapGet("/interviews", ForCase);
        app.MapPost("/interviews/{id:guid}/record", Record).WithTags("Escalation").RequireRoles(CaseAccess.Interviewers);
    }

    private static async Task<IResult> Notices(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is null) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        return TypedResults.Ok(await db.Notices.AsNoTracking().Where(n => n.CaseId == id).OrderBy(n => n.IssuedAt).ThenBy(n => n.Step)
            .Select(n => new NoticeView(n.Id, n.TaskId, n.Step, n.OverdueWorkingDays, n.IssuedOn)).ToListAsync(ct));
    }

    /// <summary>The office sees recommendations and records; the unit sees the interviews actually held with it.</summary>
    private static async Task<IResult> ForCase(Guid id, HttpContext http, RectificationDb db, CancellationToken ct)
    {
        if (await db.VisibleCaseAsync(http.User, id, ct) is not { } c) return Problems.NotFound(CaseLookup.NotFoundCase(id));
        var office = http.User.IsOfficeOver(c);
        return TypedResults.Ok(await db.Interviews.AsNoTracking().Where(i => i.CaseId == id && (office || i.RecordedAt != null)).OrderBy(i => i.RecommendedAt).ToListAsync(ct));
    }

    private static async Task<IResult> Record(Guid id, RecordRequest request, HttpContext http, RectificationDb db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Check(request.Version is not null, "version", "required: the version you read")
            .Text("interviewer", request.Interviewer, 200)
            .Text("interviewee", request.Interviewee, 200)
            .Check(request.HeldOn is not null, "heldOn", "required (yyyy-MM-dd)")
            .Check(request.Commitments is { Count: > 0 and <= 50 }, "commitments", "1–50 commitments are required")
            .Check(request.TaskIds is null || request.TaskIds.Count <= 200, "taskIds", "at most 200");
        foreach (var (commitment, i) in (request.Commitments ?? []).Select((x, i) => (x, i))) errors.Text($"commitments[{i}]", commitment, 1000);
        if (request.HeldOn is { } held && request.FollowUpOn is { } follow && follow <= held) errors["followUpOn"] = ["must be after heldOn"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var interview = await db.Interviews.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (interview is null || await db.VisibleCaseAsync(http.User, interview.CaseId, ct) is not { } c || !http.User.IsOfficeOver(c)) return Problems.NotFound($"No interview {id} that you may see.");
        if (interview.RecordedAt is not null) return Problems.Conflict("This interview has already been recorded.");
        var taskIds = (request.TaskIds ?? []).Distinct().ToList();
        var known = await db.Tasks.Where(t => t.CaseId == c.Id && taskIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
        if (known.Count != taskIds.Count) return Problems.Invalid("taskIds", "every task must belong to this unit's case");
        db.Entry(interview).Property(i => i.Version).OriginalValue = request.Version!.Value;
        var now = clock.GetUtcNow();
        interview.Interviewer = request.Interviewer!.Trim();
        interview.Interviewee = request.Interviewee!.Trim();
        interview.HeldOn = request.HeldOn;
        interview.Commitments = [.. request.Commitments!.Select(x => x.Trim())];
        interview.LinkedTaskIds = taskIds;
        interview.RecordedAt = now;
        if (request.FollowUpOn is { } due)
        {
            var followUp = new FollowUp { Id = Guid.CreateVersion7(), CaseId = c.Id, InterviewId = interview.Id, Kind = FollowUpKind.InterviewCommitments, Sequence = 1, DueOn = due };
            db.FollowUps.Add(followUp);
            interview.FollowUpId = followUp.Id;
        }
        audit.Record(db, "interview.recorded", "interview", id.ToString(), null,
            new { interview.Interviewer, interview.Interviewee, interview.HeldOn, interview.Commitments, interview.LinkedTaskIds, request.FollowUpOn }, "约谈记录");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(interview);
    }
}
