using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.AuditLinkage.Deployment;

public sealed record DeploymentInput(AuditTeam? AuditTeam, IReadOnlyList<Liaison>? Liaisons, uint? Version, string? Reason);
public sealed record ConsultationInput(DateOnly HeldOn, IReadOnlyList<string>? Attendees, string? Minutes, IReadOnlyList<string>? Decisions);
public sealed record DataRequestInput(string? Item, string? Purpose, DateOnly? DueOn);
public sealed record DataRequestUpdate(DataRequestStatus Status, string? Note, uint Version);

public static class DeploymentEndpoints
{
    public static void MapDeployments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/rounds/{roundId:guid}/targets/{targetId:guid}/deployment");
        group.MapGet("/", GetAsync);
        group.MapPut("/", PutAsync);
        group.MapPost("/consultations", AddConsultationAsync);
        group.MapPost("/data-requests", AddDataRequestAsync);
        group.MapPatch("/data-requests/{requestId:guid}", UpdateDataRequestAsync);
    }

    private static async Task<IResult> GetAsync(Guid roundId, Guid targetId, HttpContext http, RoundAccess access, AuditDb db, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.RoundId == roundId && d.TargetId == targetId, ct);
        if (deployment is null) return ApiProblems.NotFound("joint deployment for target", targetId);
        var consultations = await db.Consultations.AsNoTracking().Where(c => c.DeploymentId == deployment.Id).OrderBy(c => c.WeekOf).ToListAsync(ct);
        var requests = await db.DataRequests.AsNoTracking().Where(r => r.DeploymentId == deployment.Id).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(new { deployment, consultations, dataRequests = requests });
    }

    /// <summary>Sets the audit team and the liaison; the office or the audit bureau does this, with the version it read.</summary>
    private static async Task<IResult> PutAsync(Guid roundId, Guid targetId, DeploymentInput input, HttpContext http, RoundAccess access, AuditDb db,
        AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (!caller.AuditOfficer && !caller.Office) return ApiProblems.Forbidden("Only the inspection office or the audit bureau sets up a joint deployment.");
        var team = input.AuditTeam;
        if (team is null || string.IsNullOrWhiteSpace(team.Name) || team.Name.Length > 200) return ApiProblems.Invalid("auditTeam.name", "1–200 characters.");
        if (string.IsNullOrWhiteSpace(team.Leader) || team.Leader.Length > 100) return ApiProblems.Invalid("auditTeam.leader", "1–100 characters.");
        if (team.Members is null || team.Members.Count > 50 || team.Members.Any(m => string.IsNullOrWhiteSpace(m) || m.Length > 100))
            return ApiProblems.Invalid("auditTeam.members", "Up to 50 names of 1–100 characters.");
        var liaisons = input.Liaisons ?? [];
        if (liaisons.Any(l => string.IsNullOrWhiteSpace(l.InspectionSide) || string.IsNullOrWhiteSpace(l.AuditSide) || l.InspectionSide.Length > 100 || l.AuditSide.Length > 100 || l.Contact is { Length: > 100 }))
            return ApiProblems.Invalid("liaisons", "Each liaison names both sides (1–100 characters).");
        if (liaisons.Count != 3 || Enum.GetValues<LiaisonLevel>().Any(level => liaisons.Count(l => l.Level == level) != 1))
            return ApiProblems.RuleViolated("deployment.three-level-liaison", "The liaison has exactly one pair at each level: office–office, leader–leader, liaison–liaison.");
        if (input.Reason is { Length: > 1000 }) return ApiProblems.Invalid("reason", "At most 1000 characters.");

        var deployment = await db.Deployments.SingleOrDefaultAsync(d => d.RoundId == roundId && d.TargetId == targetId, ct);
        var before = deployment is null ? null : new { deployment.AuditTeam, deployment.Liaisons };
        if (deployment is null)
        {
            if (input.Version is not null) return ApiProblems.NotFound("joint deployment for target", targetId);
            deployment = new JointDeployment { Id = Guid.CreateVersion7(), RoundId = roundId, TargetId = targetId, CreatedBy = http.User.Subject() };
            db.Deployments.Add(deployment);
        }
        else
        {
            if (input.Version is null) return ApiProblems.Conflict("The deployment exists already; send the version you read to change it.");
            db.Entry(deployment).Property(d => d.Version).OriginalValue = input.Version.Value;
        }
        deployment.AuditTeam = new AuditTeam(team.Name.Trim(), team.Leader.Trim(), [.. team.Members.Select(m => m.Trim())]);
        deployment.Liaisons = [.. liaisons.OrderBy(l => l.Level)];
        deployment.UpdatedAt = clock.GetUtcNow();
        audit.Record(db, before is null ? "deployment.created" : "deployment.changed", "joint-deployment", deployment.Id.ToString(), before,
            new { deployment.AuditTeam, deployment.Liaisons }, input.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(deployment);
    }

    private static async Task<IResult> AddConsultationAsync(Guid roundId, Guid targetId, ConsultationInput input, HttpContext http, RoundAccess access,
        AuditDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (string.IsNullOrWhiteSpace(input.Minutes) || input.Minutes.Length > 20_000) return ApiProblems.Invalid("minutes", "Minutes of 1–20,000 characters are required.");
        if (input.Attendees is not { Count: > 0 and <= 50 } || input.Attendees.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 100))
            return ApiProblems.Invalid("attendees", "1–50 attendee names of 1–100 characters.");
        if (input.Decisions is { Count: > 100 } || input.Decisions?.Any(d => string.IsNullOrWhiteSpace(d) || d.Length > 2000) == true)
            return ApiProblems.Invalid("decisions", "Up to 100 decisions of 1–2,000 characters.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (input.HeldOn > today) return ApiProblems.RuleViolated("consultation.not-yet-held", "Minutes are recorded for a consultation that has taken place.");
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.RoundId == roundId && d.TargetId == targetId, ct);
        if (deployment is null) return ApiProblems.RuleViolated("consultation.no-deployment", "Set up the joint deployment for this target first.");
        var weekOf = input.HeldOn.AddDays(-(((int)input.HeldOn.DayOfWeek + 6) % 7));
        if (await db.Consultations.AnyAsync(c => c.DeploymentId == deployment.Id && c.WeekOf == weekOf, ct))
            return ApiProblems.Conflict($"The week of {weekOf:yyyy-MM-dd} already has its joint consultation; add decisions there.");
        var consultation = new Consultation
        {
            Id = Guid.CreateVersion7(), DeploymentId = deployment.Id, WeekOf = weekOf, HeldOn = input.HeldOn, Attendees = [.. input.Attendees],
            Minutes = input.Minutes.Trim(), Decisions = [.. input.Decisions ?? []], RecordedBy = http.User.Subject(), RecordedAt = clock.GetUtcNow(),
        };
        db.Consultations.Add(consultation);
        audit.Record(db, "consultation.recorded", "consultation", consultation.Id.ToString(), after: consultation, reason: "周联席会商");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/rounds/{roundId}/targets/{targetId}/deployment", consultation);
    }

    private static async Task<IResult> AddDataRequestAsync(Guid roundId, Guid targetId, DataRequestInput input, HttpContext http, RoundAccess access,
        AuditDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (string.IsNullOrWhiteSpace(input.Item) || input.Item.Length > 300) return ApiProblems.Invalid("item", "1–300 characters.");
        if (input.Purpose is { Length: > 1000 }) return ApiProblems.Invalid("purpose", "At most 1000 characters.");
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.RoundId == roundId && d.TargetId == targetId, ct);
        if (deployment is null) return ApiProblems.RuleViolated("data-request.no-deployment", "Set up the joint deployment for this target first.");
        var side = caller.AuditOfficer && !caller.InspectionSide ? "audit" : "inspection";
        var key = string.Join(' ', input.Item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        var existing = await db.DataRequests.SingleOrDefaultAsync(r => r.DeploymentId == deployment.Id && r.ItemKey == key, ct);
        if (existing is not null)
        {
            // Asked once: the second side joins the request instead of asking the unit again.
            if (!existing.RequestedBy.Contains(side))
            {
                existing.RequestedBy = [.. existing.RequestedBy, side];
                audit.Record(db, "data-request.joined", "data-request", existing.Id.ToString(), after: new { side }, reason: input.Purpose);
                await db.SaveChangesAsync(ct);
            }
            return TypedResults.Ok(existing);
        }
        var request = new DataRequest
        {
            Id = Guid.CreateVersion7(), DeploymentId = deployment.Id, Item = input.Item.Trim(), ItemKey = key, Purpose = input.Purpose,
            RequestedBy = [side], DueOn = input.DueOn, Status = DataRequestStatus.Open, CreatedAt = clock.GetUtcNow(),
        };
        db.DataRequests.Add(request);
        audit.Record(db, "data-request.created", "data-request", request.Id.ToString(), after: request, reason: input.Purpose);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/rounds/{roundId}/targets/{targetId}/deployment", request);
    }

    private static async Task<IResult> UpdateDataRequestAsync(Guid roundId, Guid targetId, Guid requestId, DataRequestUpdate input, HttpContext http,
        RoundAccess access, AuditDb db, AuditTrail audit, CancellationToken ct)
    {
        var (caller, _, denied) = await access.CheckTargetAsync(http.User, roundId, targetId, ct);
        if (caller is null) return denied!;
        if (!Enum.IsDefined(input.Status)) return ApiProblems.Invalid("status", "open, provided or cancelled.");
        if (input.Note is { Length: > 2000 }) return ApiProblems.Invalid("note", "At most 2000 characters.");
        var request = await db.DataRequests.SingleOrDefaultAsync(r => r.Id == requestId
            && db.Deployments.Any(d => d.Id == r.DeploymentId && d.RoundId == roundId && d.TargetId == targetId), ct);
        if (request is null) return ApiProblems.NotFound("data request", requestId);
        db.Entry(request).Property(r => r.Version).OriginalValue = input.Version;
        var before = new { request.Status, request.Note };
        request.Status = input.Status;
        request.Note = input.Note;
        audit.Record(db, "data-request.updated", "data-request", request.Id.ToString(), before, new { request.Status, request.Note }, input.Note);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(request);
    }
}
