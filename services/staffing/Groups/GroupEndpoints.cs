using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Cards;
using Xuncha.Staffing.Data;
using Xuncha.Staffing.Formation;
using Xuncha.Staffing.Rounds;

namespace Xuncha.Staffing.Groups;

public static class GroupEndpoints
{
    public sealed record ProposalRequest(string? Reason);
    public sealed record SeatRequest(Guid CadreId, string Role);
    public sealed record AdjustRequest(uint? Version, string? Reason, List<SeatRequest>? Members);
    public sealed record ConfirmRequest(uint? Version, string? Reason);

    public sealed record GroupView(
        Guid Id, Guid RoundId, string Name, GroupStatus Status, int Revision, IReadOnlyList<Guid> TargetIds, IReadOnlyList<string> TargetCodes,
        DateOnly StartsOn, DateOnly EndsOn, IReadOnlyList<GroupSeat> Members, GroupExplanation Explanation, uint Version)
    {
        public static GroupView Of(InspectionGroup g) => new(g.Id, g.RoundId, g.Name, g.Status, g.Revision, g.TargetIds, g.TargetCodes, g.StartsOn, g.EndsOn, g.Members, g.Explanation, g.Version);
    }

    public sealed record ProposalView(Guid RoundId, double Objective, string ObjectiveStatement, IReadOnlyList<GroupView> Groups, IReadOnlyList<Exclusion> PoolExclusions, int ConfirmedGroupsKept);

    public sealed record CandidateView(Guid CadreId, string Name, bool InThisGroup, string? OtherGroup, bool Local, IReadOnlyList<ExclusionReason> Reasons, string Verdict);

    public static void MapGroups(this WebApplication app)
    {
        var office = app.MapGroup("").WithTags("Groups").RequireRoles(StaffingAccess.OfficeRoles);
        office.MapPost("/rounds/{roundId:guid}/proposal", Propose);
        office.MapPut("/groups/{id:guid}/members", Adjust);
        office.MapPost("/groups/{id:guid}/confirm", Confirm);
        office.MapGet("/groups/{id:guid}/candidates/{cadreId:guid}", Candidate);
        var read = app.MapGroup("").WithTags("Groups").RequireRoles(StaffingAccess.PoolRoles);
        read.MapGet("/rounds/{roundId:guid}/groups", ForRound);
        read.MapGet("/groups/{id:guid}", Get);
    }

    internal static async Task<InspectionGroup?> FindVisible(HttpContext http, StaffingDb db, Guid id, CancellationToken ct) =>
        await db.Groups.FirstOrDefaultAsync(g => g.Id == id, ct) is { } group && http.User.Oversees(group.JurisdictionPath) ? group : null;

    private static async Task<IResult> Propose(Guid roundId, ProposalRequest? request, HttpContext http, StaffingDb db, PolicyResolver policies, AuditTrail audit, CancellationToken ct)
    {
        if (request?.Reason is { Length: > 500 }) return Problems.Invalid("reason", "at most 500 characters");
        if (await RoundEndpoints.FindVisible(http, db, roundId, ct) is not { } round) return Problems.NotFound($"No round {roundId} in your jurisdiction.");
        var policy = await policies.ForPathAsync(round.JurisdictionPath, ct);
        var existing = await db.Groups.Where(g => g.RoundId == roundId).ToListAsync(ct);
        var confirmed = existing.Where(g => g.Status == GroupStatus.Confirmed).Select(g => g.ClusterKey).ToHashSet();
        var allClusters = round.Clusters();
        var open = allClusters.Where(c => !confirmed.Contains(c.Key)).ToList();
        if (allClusters.Count == 0) return StaffingAccess.RulesViolated("本轮没有巡察对象", [new RuleViolation("targets", "The round lists no targets; nothing to staff.")]);
        if (open.Count == 0) return Problems.Conflict("Every group of this round is already confirmed; adjust a group instead.");
        var pool = await db.Cadres.AsNoTracking().Where(c => c.JurisdictionPath.Contains(round.Jurisdiction) && !c.Archived).OrderBy(c => c.Id).ToListAsync(ct);

        var result = GroupFormer.Propose(round, open, pool, policy);
        if (result.Infeasible.Count > 0)
        {
            return TypedResults.Problem(
                string.Join("；", result.Infeasible.Select(i => $"{i.TargetName}：[{i.Rule}] {i.Detail}")),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "无法为全部对象组建满足硬性规则的巡察组",
                type: "https://xuncha.example/problems/staffing-infeasible",
                extensions: new Dictionary<string, object?> { ["infeasibilities"] = result.Infeasible, ["rules"] = result.Infeasible.Select(i => i.Rule).Distinct().ToList() });
        }

        var now = DateTimeOffset.UtcNow;
        var views = new List<GroupView>();
        foreach (var proposed in result.Groups)
        {
            var number = allClusters.ToList().FindIndex(c => c.Key == proposed.Cluster.Key) + 1;
            var group = existing.FirstOrDefault(g => g.ClusterKey == proposed.Cluster.Key);
            if (group is null)
            {
                group = new InspectionGroup
                {
                    Id = Guid.CreateVersion7(),
                    RoundId = round.Id,
                    RoundNumber = round.Number,
                    Jurisdiction = round.Jurisdiction,
                    JurisdictionPath = round.JurisdictionPath,
                    Name = "",
                    ClusterKey = proposed.Cluster.Key,
                    TargetIds = [.. proposed.Cluster.Targets.Select(t => t.TargetId)],
                    TargetCodes = [.. proposed.Cluster.Targets.Select(t => t.Code)],
                    StartsOn = proposed.Cluster.StartsOn,
                    EndsOn = proposed.Cluster.EndsOn,
                    Status = GroupStatus.Draft,
                };
                db.Groups.Add(group);
            }
            group.Name = $"{round.Name}第{number}巡察组（{proposed.Cluster.Anchor.Name}）";
            group.Members = [.. proposed.Seats];
            group.Explanation = proposed.Explanation;
            group.UpdatedAt = now;
            views.Add(GroupView.Of(group));
        }
        audit.Record(db, "groups.proposed", "round", round.Id.ToString(),
            after: new { groups = result.Groups.Count, result.Objective, members = result.Groups.ToDictionary(g => g.Cluster.Key, g => g.Seats.Select(s => s.CadreId)) },
            reason: request?.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ProposalView(round.Id, result.Objective, result.ObjectiveStatement,
            [.. views.Select(v => v with { Version = db.Groups.Local.First(g => g.Id == v.Id).Version })], result.PoolExclusions, confirmed.Count));
    }

    private static async Task<IResult> ForRound(Guid roundId, HttpContext http, StaffingDb db, CancellationToken ct)
    {
        if (await RoundEndpoints.FindVisible(http, db, roundId, ct) is null) return Problems.NotFound($"No round {roundId} in your jurisdiction.");
        var groups = await db.Groups.AsNoTracking().Where(g => g.RoundId == roundId).OrderBy(g => g.Name).ToListAsync(ct);
        return TypedResults.Ok(groups.Select(GroupView.Of));
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, StaffingDb db, CancellationToken ct) =>
        await FindVisible(http, db, id, ct) is { } group ? TypedResults.Ok(GroupView.Of(group)) : Problems.NotFound($"No group {id} in your jurisdiction.");

    /// <summary>The office's adjustment: the whole membership as it should be, re-checked against every hard rule.</summary>
    private static async Task<IResult> Adjust(Guid id, AdjustRequest request, HttpContext http, StaffingDb db, PolicyResolver policies, AuditTrail audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Version is null) errors["version"] = ["required: the version you read"];
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500) errors["reason"] = ["required, at most 500 characters"];
        if (request.Members is null || request.Members.Count == 0 || request.Members.Count > 30) errors["members"] = ["1–30 seats"];
        for (var i = 0; i < (request.Members?.Count ?? 0); i++)
        {
            if (request.Members![i] is null || request.Members[i].Role is null) errors[$"members[{i}]"] = ["cadreId and role required"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await FindVisible(http, db, id, ct) is not { } group) return Problems.NotFound($"No group {id} in your jurisdiction.");
        var round = await db.Rounds.AsNoTracking().FirstAsync(r => r.Id == group.RoundId, ct);
        var cluster = round.Clusters().First(c => c.Key == group.ClusterKey);
        var policy = await policies.ForPathAsync(round.JurisdictionPath, ct);

        var ids = request.Members!.Select(m => m.CadreId).Distinct().ToList();
        var cadres = await db.Cadres.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var unknown = request.Members!.Select((m, i) => (m, i)).Where(x => !cadres.TryGetValue(x.m.CadreId, out var c) || !http.User.Oversees(c.JurisdictionPath)).ToList();
        if (unknown.Count > 0) return Problems.Invalid(unknown.ToDictionary(x => $"members[{x.i}].cadreId", x => new[] { "no such cadre in your jurisdiction" }));

        var seats = request.Members!.Select(m => new Seat(cadres[m.CadreId], m.Role)).ToList();
        var others = await OtherSeats(db, group, ct);
        var violations = GroupRules.Check(seats, cluster, round, policy, group.Id, others);
        if (violations.Count > 0) return StaffingAccess.RulesViolated("调整不符合组建规则，已拒绝", violations);

        var before = group.Members;
        db.Entry(group).Property(g => g.Version).OriginalValue = request.Version!.Value;
        group.Members = Seats(seats, policy, cluster, before, $"办公室调整：{request.Reason}");
        group.UpdatedAt = DateTimeOffset.UtcNow;
        if (group.Status == GroupStatus.Confirmed)
        {
            group.Revision++;
            await RecordServices(db, group, round, before.Select(b => b.CadreId), ct);
            await CardIssuer.SyncAsync(db, group, ct);
            db.AddEvent(new GroupChanged
            {
                GroupId = group.Id, RoundId = group.RoundId, Jurisdiction = group.Jurisdiction, Name = group.Name, TargetIds = group.TargetIds,
                StartsOn = group.StartsOn, EndsOn = group.EndsOn, Members = Members(group), Version = group.Revision, Reason = request.Reason!, ChangedAt = group.UpdatedAt,
            });
        }
        audit.Record(db, "group.adjusted", "group", group.Id.ToString(), before, group.Members, request.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(GroupView.Of(group));
    }

    private static async Task<IResult> Confirm(Guid id, ConfirmRequest request, HttpContext http, StaffingDb db, PolicyResolver policies, AuditTrail audit, CancellationToken ct)
    {
        if (request.Version is null) return Problems.Invalid("version", "required: the version you read");
        if (request.Reason is { Length: > 500 }) return Problems.Invalid("reason", "at most 500 characters");
        if (await FindVisible(http, db, id, ct) is not { } group) return Problems.NotFound($"No group {id} in your jurisdiction.");
        if (group.Status != GroupStatus.Draft) return Problems.Conflict("The group is already confirmed; adjust it instead.");
        var round = await db.Rounds.AsNoTracking().FirstAsync(r => r.Id == group.RoundId, ct);
        var cluster = round.Clusters().First(c => c.Key == group.ClusterKey);
        var policy = await policies.ForPathAsync(round.JurisdictionPath, ct);
        var ids = group.Members.Select(m => m.CadreId).ToList();
        var cadres = await db.Cadres.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        if (ids.Any(i => !cadres.ContainsKey(i))) return Problems.Conflict("A member of this draft is no longer in the pool; propose or adjust again.");
        // The pool may have moved since the proposal (a cadre confirmed elsewhere, a relative declared): check again.
        var violations = GroupRules.Check([.. group.Members.Select(m => new Seat(cadres[m.CadreId], m.Role))], cluster, round, policy, group.Id, await OtherSeats(db, group, ct));
        if (violations.Count > 0) return StaffingAccess.RulesViolated("草案已不符合组建规则，不能确认", violations);

        db.Entry(group).Property(g => g.Version).OriginalValue = request.Version.Value;
        group.Status = GroupStatus.Confirmed;
        group.Revision = 1;
        group.UpdatedAt = DateTimeOffset.UtcNow;
        await RecordServices(db, group, round, [], ct);
        await CardIssuer.SyncAsync(db, group, ct);
        db.AddEvent(new GroupFormed
        {
            GroupId = group.Id, RoundId = group.RoundId, Jurisdiction = group.Jurisdiction, Name = group.Name, TargetIds = group.TargetIds,
            StartsOn = group.StartsOn, EndsOn = group.EndsOn, Members = Members(group), Version = group.Revision, FormedAt = group.UpdatedAt,
        });
        audit.Record(db, "group.confirmed", "group", group.Id.ToString(), after: group.Members, reason: request.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(GroupView.Of(group));
    }

    /// <summary>Why a cadre is or is not in this group: the rules that bar them, a seat elsewhere, or the objective.</summary>
    private static async Task<IResult> Candidate(Guid id, Guid cadreId, HttpContext http, StaffingDb db, PolicyResolver policies, CancellationToken ct)
    {
        if (await FindVisible(http, db, id, ct) is not { } group) return Problems.NotFound($"No group {id} in your jurisdiction.");
        if (await CadreEndpoints.FindVisible(http, db, cadreId, ct) is not { } cadre) return Problems.NotFound($"No cadre {cadreId} in your jurisdiction.");
        var round = await db.Rounds.AsNoTracking().FirstAsync(r => r.Id == group.RoundId, ct);
        var policy = await policies.ForPathAsync(round.JurisdictionPath, ct);
        var standing = Eligibility.Assess(cadre, round.Clusters().First(c => c.Key == group.ClusterKey), round, policy, group.Id);
        var other = (await OtherSeats(db, group, ct)).FirstOrDefault(s => s.CadreId == cadreId);
        var inGroup = group.Members.Any(m => m.CadreId == cadreId);
        var reasons = standing.PoolReasons.Concat(standing.TargetReasons).ToList();
        var verdict = inGroup ? "已在本组：" + group.Members.First(m => m.CadreId == cadreId).Why
            : standing.Barred ? "因回避或可用性规则不能进入本组"
            : other is not null ? $"符合本组全部规则，但已编入 {other.GroupName}（时段重叠）"
            : standing.Local ? "本地人员：本组本地名额已按比例使用，或其得分低于入选者"
            : "符合本组全部规则；未入选是因为目标函数下得分低于入选成员，办公室可调整换入（将重新校验）";
        return TypedResults.Ok(new CandidateView(cadre.Id, cadre.Name, inGroup, other?.GroupName, standing.Local, reasons, verdict));
    }

    private static async Task<List<RoundSeat>> OtherSeats(StaffingDb db, InspectionGroup group, CancellationToken ct) =>
        [.. (await db.Groups.AsNoTracking().Where(g => g.RoundId == group.RoundId && g.Id != group.Id).ToListAsync(ct))
            .SelectMany(g => g.Members.Select(m => new RoundSeat(m.CadreId, g.Id, g.Name, g.StartsOn, g.EndsOn)))];

    private static List<GroupSeat> Seats(List<Seat> seats, StaffingPolicy policy, TargetCluster cluster, IReadOnlyList<GroupSeat> before, string why)
    {
        var posts = Posts.Assign(seats, policy.RequiredSpecialties);
        var mentors = GroupRules.Mentors(seats, policy);
        return
        [
            .. seats.Select(s => new GroupSeat
            {
                CadreId = s.Cadre.Id,
                Name = s.Cadre.Name,
                Role = s.Role,
                Post = posts[s.Cadre.Id],
                Specialties = s.Cadre.Specialties,
                AccountSubject = s.Cadre.AccountSubject,
                Local = cluster.IsCross && s.Cadre.HomeJurisdiction == cluster.County,
                Newcomer = s.Cadre.IsNewcomer,
                MentorId = mentors.TryGetValue(s.Cadre.Id, out var m) ? m : null,
                Why = before.FirstOrDefault(b => b.CadreId == s.Cadre.Id && b.Role == s.Role)?.Why ?? why,
            }),
        ];
    }

    /// <summary>A confirmed group's seats are the members' secondment record (overlap, rotation and previous-round rules read it).</summary>
    private static async Task RecordServices(StaffingDb db, InspectionGroup group, Round round, IEnumerable<Guid> previousMembers, CancellationToken ct)
    {
        var current = group.Members.Select(m => m.CadreId).ToList();
        var ids = current.Union(previousMembers).ToList();
        foreach (var cadre in await db.Cadres.Where(c => ids.Contains(c.Id)).ToListAsync(ct))
        {
            var kept = cadre.Services.Where(s => s.GroupId != group.Id).ToList();
            if (group.Members.FirstOrDefault(m => m.CadreId == cadre.Id) is { } seat)
            {
                kept.Add(new ServiceRecord(round.Id, round.Number, round.Jurisdiction, group.Id, group.TargetCodes, group.StartsOn, group.EndsOn, seat.Role));
            }
            cadre.Services = kept;
            cadre.UpdatedAt = DateTimeOffset.UtcNow;
        }
    }

    private static List<GroupMember> Members(InspectionGroup group) =>
        [.. group.Members.Select(m => new GroupMember { CadreId = m.CadreId, Name = m.Name, Role = m.Role, Specialties = m.Specialties, AccountSubject = m.AccountSubject })];
}
