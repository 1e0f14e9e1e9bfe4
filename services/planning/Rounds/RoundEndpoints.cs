using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Jurisdictions;
using Xuncha.Planning.Standards;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Rounds;

public static class RoundEndpoints
{
    public sealed record CreateRound(
        Guid TermId,
        [property: StringLength(200)] string? Name,
        DateOnly StartsOn,
        DateOnly EndsOn,
        [property: Range(0, 500)] int GroupsNeeded,
        [property: MaxLength(200)] string[]? StandardCodes);

    public sealed record UpdateRound(
        [property: Required, StringLength(200, MinimumLength = 1)] string Name,
        DateOnly StartsOn,
        DateOnly EndsOn,
        [property: Range(0, 500)] int GroupsNeeded,
        [property: MaxLength(200)] string[]? StandardCodes,
        uint Version);

    public sealed record TargetPlan(Guid TargetId, InspectionMode Mode, [property: MaxLength(20)] string[]? StaffSourceJurisdictions, DateOnly? StartsOn, DateOnly? EndsOn);

    public sealed record AddTargets([property: Required, MinLength(1), MaxLength(5000)] List<TargetPlan> Targets);

    public sealed record TransitionRequest(RoundStatus To, [property: Required, StringLength(2000, MinimumLength = 2)] string Reason, uint? Version);

    public sealed record ChecklistRequest(
        [property: StringLength(4000)] string? Tasks,
        [property: StringLength(4000)] string? Responsibilities,
        [property: StringLength(4000)] string? Measures,
        [property: StringLength(4000)] string? Effects,
        [property: StringLength(4000)] string? Gaps);

    public sealed record HistoryEntry(DateTimeOffset At, string Actor, string? ActorName, string Action, string? Before, string? After, string? Reason);

    public static void MapRounds(this WebApplication app)
    {
        var group = app.MapGroup("/rounds").WithTags("Rounds");
        group.MapPost("/", Create).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapGet("/", List).RequireRoles([.. Need.SubtreeReaders, .. Need.GroupRoles]);
        group.MapGet("/{id:guid}", Get).RequireRoles([.. Need.SubtreeReaders, .. Need.GroupRoles]);
        group.MapPut("/{id:guid}", Update).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapPost("/{id:guid}/targets", AddTargetsTo).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapDelete("/{id:guid}/targets/{targetId:guid}", RemoveTarget).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapPost("/{id:guid}/transitions", Transition).RequireRoles(PlatformRoles.OfficeCoordinator, PlatformRoles.LeadingGroup);
        group.MapGet("/{id:guid}/history", History).RequireRoles(Need.SubtreeReaders);
        group.MapGet("/{id:guid}/standards", Standards).RequireRoles([.. Need.SubtreeReaders, .. Need.GroupRoles]);
        group.MapGet("/{id:guid}/targets/{targetId:guid}/checklist", GetChecklist).RequireRoles([.. Need.SubtreeReaders, .. Need.GroupRoles]);
        group.MapPut("/{id:guid}/targets/{targetId:guid}/checklist", PutChecklist)
            .RequireRoles(PlatformRoles.OfficeCoordinator, PlatformRoles.GroupLeader, PlatformRoles.DeputyLeader);
    }

    private static async Task<IResult> Create(CreateRound request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var term = await db.Terms.AsNoTracking().SingleOrDefaultAsync(t => t.Id == request.TermId, ct);
        if (term is null) return Problems.Invalid("termId", $"Term {request.TermId} does not exist.");
        if (!user.Edits(term.JurisdictionPath)) return Problems.Forbidden("The term's jurisdiction is outside yours.");
        if (DatesProblem(request.StartsOn, request.EndsOn, term.StartsOn, term.EndsOn) is { } bad) return bad;
        var codes = (request.StandardCodes ?? []).Distinct().ToArray();
        if (await StandardsLibrary.UnknownCodesAsync(db, codes, ct) is { Count: > 0 } unknown)
        {
            return RuleProblem.Of("unknown-standard", $"No such supervision standard item: {string.Join(", ", unknown)}.");
        }
        var number = (await db.Rounds.Where(r => r.TermId == term.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0) + 1;
        var round = new Round
        {
            Id = Guid.NewGuid(), TermId = term.Id, Jurisdiction = term.Jurisdiction, JurisdictionPath = term.JurisdictionPath, Number = number,
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{term.Name}第{number}轮巡察" : request.Name.Trim(),
            StartsOn = request.StartsOn, EndsOn = request.EndsOn, GroupsNeeded = request.GroupsNeeded, StandardCodes = codes,
            Status = RoundStatus.Draft, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Rounds.Add(round);
        audit.Record(db, "round.created", "round", round.Id.ToString(), after: new { round.Number, round.Name, round.StartsOn, round.EndsOn, round.GroupsNeeded, round.StandardCodes });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/rounds/{round.Id}", await RoundViews.ViewAsync(db, round, null, ct));
    }

    private static async Task<IResult> List(Guid? termId, string? status, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        RoundStatus? wanted = null;
        if (status is not null)
        {
            if (!Codes.TryParse<RoundStatus>(status, out var s)) return Problems.Invalid("status", $"Unknown status; one of {Codes.Known<RoundStatus>()}.");
            wanted = s;
        }
        var mine = user.Jurisdiction();
        var sub = user.Subject();
        var query = db.Rounds.AsNoTracking();
        query = user.HasAnyRole(Need.SubtreeReaders)
            ? query.Where(r => r.JurisdictionPath.Contains(mine))
            : query.Where(r => db.Groups.Any(g => g.RoundId == r.Id && g.MemberSubjects.Contains(sub)));
        if (termId is { } tid) query = query.Where(r => r.TermId == tid);
        if (wanted is { } w) query = query.Where(r => r.Status == w);
        var rounds = await query.OrderByDescending(r => r.StartsOn).ThenByDescending(r => r.Number)
            .Select(r => new { r.Id, r.TermId, r.Number, r.Name, r.StartsOn, r.EndsOn, r.Status, r.GroupsNeeded, r.StandardsVersion, Targets = r.Targets.Count })
            .Take(1000).ToListAsync(ct);
        return TypedResults.Ok(rounds);
    }

    private static async Task<IResult> Get(Guid id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().Include(r => r.Targets).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return Problems.NotFound($"Round {id}");
        if (user.ReadsSubtree(round.JurisdictionPath)) return TypedResults.Ok(await RoundViews.ViewAsync(db, round, null, ct));
        var groups = await MyGroupsAsync(db, user, id, ct);
        return groups.Count > 0 ? TypedResults.Ok(await RoundViews.ViewAsync(db, round, groups, ct)) : Problems.NotFound($"Round {id}");
    }

    private static async Task<IResult> Update(Guid id, UpdateRound request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var round = await db.Rounds.Include(r => r.Targets).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || !user.Edits(round.JurisdictionPath)) return Problems.NotFound($"Round {id}");
        if (round.Version != request.Version) return Problems.Conflict("The round was changed by someone else; reload it and try again.");
        if (round.Status != RoundStatus.Draft) return RuleProblem.Of("round-not-draft", $"A round is edited only as a draft; it is {Codes.Of(round.Status)}.");
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == round.TermId, ct);
        if (DatesProblem(request.StartsOn, request.EndsOn, term.StartsOn, term.EndsOn) is { } bad) return bad;
        var codes = (request.StandardCodes ?? []).Distinct().ToArray();
        if (await StandardsLibrary.UnknownCodesAsync(db, codes, ct) is { Count: > 0 } unknown)
        {
            return RuleProblem.Of("unknown-standard", $"No such supervision standard item: {string.Join(", ", unknown)}.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await RoundRules.LockMembershipAsync(db, ct);
        var overlaps = await RoundRules.FindOverlapsAsync(db, round.Id, request.StartsOn, request.EndsOn, [.. round.Targets.Select(t => t.TargetId)], ct);
        if (overlaps.Count > 0) return OverlapProblem(overlaps);
        var before = new { round.Name, round.StartsOn, round.EndsOn, round.GroupsNeeded, round.StandardCodes };
        db.Entry(round).Property(r => r.Version).OriginalValue = request.Version;
        round.Name = request.Name.Trim();
        round.StartsOn = request.StartsOn;
        round.EndsOn = request.EndsOn;
        round.GroupsNeeded = request.GroupsNeeded;
        round.StandardCodes = codes;
        foreach (var rt in round.Targets.Where(rt => rt.StartsOn < round.StartsOn || rt.EndsOn > round.EndsOn || rt.EndsOn < round.StartsOn))
        {
            rt.StartsOn = round.StartsOn;
            rt.EndsOn = round.EndsOn;
        }
        audit.Record(db, "round.updated", "round", round.Id.ToString(), before, new { round.Name, round.StartsOn, round.EndsOn, round.GroupsNeeded, round.StandardCodes });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await RoundViews.ViewAsync(db, round, null, ct));
    }

    private static async Task<IResult> AddTargetsTo(Guid id, AddTargets request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var round = await db.Rounds.Include(r => r.Targets).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || !user.Edits(round.JurisdictionPath)) return Problems.NotFound($"Round {id}");
        if (round.Status != RoundStatus.Draft) return RuleProblem.Of("round-not-draft", $"Targets are chosen while the round is a draft; it is {Codes.Of(round.Status)}.");
        var ids = request.Targets.Select(t => t.TargetId).ToList();
        if (ids.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1) is { } dup) return Problems.Invalid("targets", $"Target {dup.Key} is listed twice.");
        var targets = await db.Targets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var jurisdictions = await db.Jurisdictions.AsNoTracking().ToDictionaryAsync(j => j.Id, ct);
        var known = jurisdictions.Keys.ToHashSet();
        var roundJurisdiction = jurisdictions[round.Jurisdiction];
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < request.Targets.Count; i++)
        {
            var plan = request.Targets[i];
            string? error = null;
            if (!targets.TryGetValue(plan.TargetId, out var target)) error = $"Target {plan.TargetId} does not exist.";
            else if (!target.JurisdictionPath.Contains(round.Jurisdiction)) error = $"{target.Name} lies outside the round's jurisdiction {round.Jurisdiction}.";
            else if ((plan.StartsOn ?? round.StartsOn) < round.StartsOn || (plan.EndsOn ?? round.EndsOn) > round.EndsOn || (plan.EndsOn ?? round.EndsOn) < (plan.StartsOn ?? round.StartsOn))
                error = "A target's dates lie within the round's and end after they start.";
            else error = RoundRules.ModeMisfit(plan.Mode, target, round, roundJurisdiction, plan.StaffSourceJurisdictions ?? [], known);
            if (error is not null) errors[$"targets[{i}]"] = [error];
        }
        if (errors.Count > 0) return RuleProblem.Of("target-plan", "Some targets cannot be planned this way.", new Dictionary<string, object?> { ["errors"] = errors });

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await RoundRules.LockMembershipAsync(db, ct);
        var overlaps = await RoundRules.FindOverlapsAsync(db, round.Id, round.StartsOn, round.EndsOn, ids, ct);
        if (overlaps.Count > 0) return OverlapProblem(overlaps);
        foreach (var plan in request.Targets)
        {
            var rt = round.Targets.SingleOrDefault(t => t.TargetId == plan.TargetId);
            if (rt is null)
            {
                rt = new RoundTarget { RoundId = round.Id, TargetId = plan.TargetId, Status = RoundTargetStatus.Planned };
                round.Targets.Add(rt);
            }
            rt.Mode = plan.Mode;
            rt.StaffSourceJurisdictions = [.. (plan.StaffSourceJurisdictions ?? []).Distinct()];
            rt.StartsOn = plan.StartsOn ?? round.StartsOn;
            rt.EndsOn = plan.EndsOn ?? round.EndsOn;
        }
        audit.Record(db, "round.targets-planned", "round", round.Id.ToString(),
            after: request.Targets.Select(t => new { t.TargetId, code = targets[t.TargetId].Code, mode = Codes.Of(t.Mode), t.StaffSourceJurisdictions }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await RoundViews.ViewAsync(db, round, null, ct));
    }

    private static async Task<IResult> RemoveTarget(Guid id, Guid targetId, [Required, StringLength(2000, MinimumLength = 2)] string reason, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var round = await db.Rounds.Include(r => r.Targets).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || !user.Edits(round.JurisdictionPath)) return Problems.NotFound($"Round {id}");
        if (round.Status != RoundStatus.Draft) return RuleProblem.Of("round-not-draft", "Targets are removed only while the round is a draft.");
        var rt = round.Targets.SingleOrDefault(t => t.TargetId == targetId);
        if (rt is null) return Problems.NotFound($"Target {targetId} in round {id}");
        round.Targets.Remove(rt);
        audit.Record(db, "round.target-removed", "round", round.Id.ToString(), before: new { rt.TargetId, mode = Codes.Of(rt.Mode) }, reason: reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Transition(Guid id, TransitionRequest request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var round = await db.Rounds.Include(r => r.Targets).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || !user.Oversees(round.JurisdictionPath)) return Problems.NotFound($"Round {id}");
        var step = RoundLifecycle.Find(round.Status, request.To);
        if (step is null)
        {
            return RuleProblem.Of("transition-not-allowed", $"A round that is {Codes.Of(round.Status)} cannot become {Codes.Of(request.To)}.",
                new Dictionary<string, object?> { ["allowed"] = RoundLifecycle.Next(round.Status).Select(Codes.Of).ToArray() });
        }
        if (!user.HasAnyRole(step.Role)) return Problems.Forbidden($"Only the {step.Role} role may move a round from {Codes.Of(step.From)} to {Codes.Of(step.To)}.");
        if (request.Version is { } v && v != round.Version) return Problems.Conflict("The round was changed by someone else; reload it and try again.");
        if (request.To is RoundStatus.Submitted or RoundStatus.Approved or RoundStatus.Launched && round.Targets.Count == 0)
        {
            return RuleProblem.Of("round-has-no-targets", "A round needs at least one target before it is submitted, approved or launched.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var from = round.Status;
        var attached = 0;
        if (request.To == RoundStatus.Launched) attached = await RoundLaunch.LaunchAsync(db, round, ct);
        else if (request.To == RoundStatus.Closed) RoundLaunch.Close(db, round);
        else round.Status = request.To;
        audit.Record(db, "round." + Codes.Of(request.To), "round", round.Id.ToString(),
            before: new { status = Codes.Of(from) }, after: new { status = Codes.Of(round.Status), round.StandardsVersion, villagesAttached = attached }, reason: request.Reason);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await RoundViews.ViewAsync(db, round, null, ct));
    }

    private static async Task<IResult> History(Guid id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || !user.ReadsSubtree(round.JurisdictionPath)) return Problems.NotFound($"Round {id}");
        var key = id.ToString();
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityType == "round" && a.EntityId == key).OrderBy(a => a.Id)
            .Select(a => new HistoryEntry(a.At, a.Actor, a.ActorName, a.Action, a.Before, a.After, a.Reason)).ToListAsync(ct);
        return TypedResults.Ok(entries);
    }

    private static async Task<IResult> Standards(Guid id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || !(user.ReadsSubtree(round.JurisdictionPath) || (await MyGroupsAsync(db, user, id, ct)).Count > 0)) return Problems.NotFound($"Round {id}");
        // A launched round reads the version it froze; a draft reads the library as it stands.
        var version = round.StandardsVersion ?? await db.StandardVersions.MaxAsync(v => (int?)v.Number, ct) ?? 0;
        var codes = round.StandardCodes;
        var items = await db.StandardItems.AsNoTracking().Where(i => i.Version == version && codes.Contains(i.Code)).OrderBy(i => i.Code).ToListAsync(ct);
        return TypedResults.Ok(new { version, frozen = round.StandardsVersion is not null, items });
    }

    private static async Task<IResult> GetChecklist(Guid id, Guid targetId, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var found = await FindVisibleTargetAsync(db, user, id, targetId, ct);
        return found is { } rt ? TypedResults.Ok(rt.Checklist) : Problems.NotFound($"Target {targetId} in round {id}");
    }

    private static async Task<IResult> PutChecklist(Guid id, Guid targetId, ChecklistRequest request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return Problems.NotFound($"Round {id}");
        var rt = await db.RoundTargets.SingleOrDefaultAsync(t => t.RoundId == id && t.TargetId == targetId, ct);
        if (rt is null) return Problems.NotFound($"Target {targetId} in round {id}");
        var leads = rt.GroupId is { } g && await db.Groups.AnyAsync(x => x.GroupId == g && x.LeaderSubjects.Contains(user.Subject()), ct);
        if (!user.Edits(round.JurisdictionPath) && !leads) return Problems.NotFound($"Target {targetId} in round {id}");
        if (round.Status == RoundStatus.Closed) return RuleProblem.Of("round-closed", "A closed round's checklists are final.");
        var before = rt.Checklist;
        rt.Checklist = new FiveItemChecklist
        {
            Tasks = request.Tasks?.Trim() ?? "", Responsibilities = request.Responsibilities?.Trim() ?? "", Measures = request.Measures?.Trim() ?? "",
            Effects = request.Effects?.Trim() ?? "", Gaps = request.Gaps?.Trim() ?? "",
        };
        audit.Record(db, "round.checklist-updated", "round", id.ToString(), before, new { targetId, checklist = rt.Checklist });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(rt.Checklist);
    }

    private static async Task<RoundTarget?> FindVisibleTargetAsync(PlanningDb db, ClaimsPrincipal user, Guid roundId, Guid targetId, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        var rt = await db.RoundTargets.AsNoTracking().SingleOrDefaultAsync(t => t.RoundId == roundId && t.TargetId == targetId, ct);
        if (round is null || rt is null) return null;
        if (user.ReadsSubtree(round.JurisdictionPath)) return rt;
        return rt.GroupId is { } g && (await MyGroupsAsync(db, user, roundId, ct)).Contains(g) ? rt : null;
    }

    /// <summary>The caller's inspection groups in this round (group roles see only their own round and targets).</summary>
    private static async Task<IReadOnlySet<Guid>> MyGroupsAsync(PlanningDb db, ClaimsPrincipal user, Guid roundId, CancellationToken ct)
    {
        if (!user.HasAnyRole(Need.GroupRoles)) return new HashSet<Guid>();
        var sub = user.Subject();
        return (await db.Groups.AsNoTracking().Where(g => g.RoundId == roundId && g.MemberSubjects.Contains(sub)).Select(g => g.GroupId).ToListAsync(ct)).ToHashSet();
    }

    private static IResult? DatesProblem(DateOnly startsOn, DateOnly endsOn, DateOnly termStarts, DateOnly termEnds)
    {
        if (endsOn < startsOn) return Problems.Invalid("endsOn", "A round ends on or after the day it starts.");
        if (startsOn < termStarts || endsOn > termEnds) return RuleProblem.Of("round-outside-term", $"A round lies within its term ({termStarts:yyyy-MM-dd} – {termEnds:yyyy-MM-dd}).");
        return null;
    }

    private static IResult OverlapProblem(List<RoundRules.Overlap> overlaps) =>
        RuleProblem.Of("target-in-overlapping-round", "A target cannot be in two rounds whose periods overlap.",
            new Dictionary<string, object?> { ["conflicts"] = overlaps });
}
