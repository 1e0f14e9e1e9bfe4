using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Planning;
using Xuncha.Contracts.Staffing;
using Xuncha.Fieldwork.Data;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Fieldwork.Workspaces;

/// <summary>巡察组组建: keep the roster and open one workspace per target.</summary>
public sealed class GroupFormedConsumer(FieldworkDb db, TimeProvider clock) : IdempotentConsumer<GroupFormed, FieldworkDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupFormed> context)
    {
        var m = context.Message;
        return GroupRoster.ApplyAsync(Db, clock, new(m.GroupId, m.RoundId, m.Jurisdiction, m.Name, m.TargetIds, m.StartsOn, m.EndsOn, m.Members, m.Version), context.CancellationToken);
    }
}

/// <summary>A later adjustment: the full roster as it now stands, applied only when newer than what we hold.</summary>
public sealed class GroupChangedConsumer(FieldworkDb db, TimeProvider clock) : IdempotentConsumer<GroupChanged, FieldworkDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupChanged> context)
    {
        var m = context.Message;
        return GroupRoster.ApplyAsync(Db, clock, new(m.GroupId, m.RoundId, m.Jurisdiction, m.Name, m.TargetIds, m.StartsOn, m.EndsOn, m.Members, m.Version), context.CancellationToken);
    }
}

/// <summary>The round's target list: names, kinds and jurisdiction paths the workspaces need for documents and events.</summary>
public sealed class RoundLaunchedConsumer(FieldworkDb db) : IdempotentConsumer<RoundLaunched, FieldworkDb>(db)
{
    protected override async Task Handle(ConsumeContext<RoundLaunched> context)
    {
        var round = context.Message;
        await GroupRoster.LockRoundAsync(Db, round.RoundId, context.CancellationToken);
        var known = await Db.RoundTargets.Where(t => t.RoundId == round.RoundId).ToDictionaryAsync(t => t.TargetId, context.CancellationToken);
        var workspaces = await Db.Workspaces.Where(w => w.RoundId == round.RoundId).ToListAsync(context.CancellationToken);
        foreach (var target in round.Targets)
        {
            if (!known.TryGetValue(target.TargetId, out var info))
            {
                info = new RoundTargetInfo { RoundId = round.RoundId, TargetId = target.TargetId };
                Db.RoundTargets.Add(info);
            }
            info.Code = target.Code;
            info.ParentCode = target.ParentCode;
            info.Name = target.Name;
            info.Kind = target.Kind;
            info.JurisdictionPath = [.. target.JurisdictionPath];
            info.DirectingPath = GroupRoster.DirectingPath(target.JurisdictionPath, round.Jurisdiction);
            foreach (var w in workspaces.Where(w => w.TargetId == target.TargetId)) info.ApplyTo(w);
        }
    }
}

internal sealed record RosterSnapshot(
    Guid GroupId, Guid RoundId, string Jurisdiction, string Name, IReadOnlyList<Guid> TargetIds,
    DateOnly StartsOn, DateOnly EndsOn, IReadOnlyList<GroupMember> Members, int Version);

internal static class GroupRoster
{
    /// <summary>
    /// The round's targets and its groups arrive on different queues; without this, each transaction could miss the
    /// other's uncommitted rows and a workspace would never get its target's details.
    /// </summary>
    public static Task LockRoundAsync(FieldworkDb db, Guid roundId, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(7302, hashtext({roundId.ToString()}))", ct);

    public static async Task ApplyAsync(FieldworkDb db, TimeProvider clock, RosterSnapshot s, CancellationToken ct)
    {
        await LockRoundAsync(db, s.RoundId, ct);
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == s.GroupId, ct);
        if (group is null)
        {
            group = new InspectionGroup { Id = s.GroupId };
            db.Groups.Add(group);
        }
        else if (s.Version <= group.RosterVersion)
        {
            return; // out of order: a newer roster is already applied
        }
        group.RoundId = s.RoundId;
        group.Jurisdiction = s.Jurisdiction;
        group.Name = s.Name;
        group.StartsOn = s.StartsOn;
        group.EndsOn = s.EndsOn;
        group.TargetIds = [.. s.TargetIds];
        group.Members = [.. s.Members.Select(m => new GroupMemberEntry { CadreId = m.CadreId, Name = m.Name, Role = m.Role, AccountSubject = m.AccountSubject })];
        group.RosterVersion = s.Version;
        group.UpdatedAt = clock.GetUtcNow();

        var open = await db.Workspaces.Where(w => w.GroupId == s.GroupId).ToListAsync(ct);
        var targets = await db.RoundTargets.Where(t => t.RoundId == s.RoundId && s.TargetIds.Contains(t.TargetId)).ToDictionaryAsync(t => t.TargetId, ct);
        foreach (var targetId in s.TargetIds.Distinct())
        {
            var workspace = open.FirstOrDefault(w => w.TargetId == targetId);
            if (workspace is null)
            {
                workspace = new Workspace
                {
                    Id = Guid.NewGuid(), GroupId = s.GroupId, RoundId = s.RoundId, TargetId = targetId, OpenedAt = clock.GetUtcNow(),
                    DirectingPath = [s.Jurisdiction],
                };
                db.Workspaces.Add(workspace);
            }
            workspace.Jurisdiction = s.Jurisdiction;
            workspace.StartsOn = s.StartsOn;
            workspace.EndsOn = s.EndsOn;
            if (targets.TryGetValue(targetId, out var info)) info.ApplyTo(workspace);
        }
    }

    /// <summary>Root → directing jurisdiction, cut from the target's path; just the directing jurisdiction when it is not on it.</summary>
    public static List<string> DirectingPath(IReadOnlyList<string> targetPath, string directing)
    {
        var at = targetPath.ToList().IndexOf(directing);
        return at < 0 ? [directing] : [.. targetPath.Take(at + 1)];
    }
}
