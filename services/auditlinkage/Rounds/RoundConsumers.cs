using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.Contracts.Planning;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.AuditLinkage.Rounds;

/// <summary>Keeps the launched round; a repeated launch of the same round changes nothing.</summary>
public sealed class RoundLaunchedConsumer(AuditDb db) : IdempotentConsumer<RoundLaunched, AuditDb>(db)
{
    protected override async Task Handle(ConsumeContext<RoundLaunched> context)
    {
        var m = context.Message;
        if (await Db.Rounds.AnyAsync(r => r.Id == m.RoundId, context.CancellationToken))
        {
            return;
        }
        Db.Rounds.Add(new RoundView
        {
            Id = m.RoundId,
            Jurisdiction = m.Jurisdiction,
            JurisdictionPath = RoundPath(m),
            Number = m.Number,
            Name = m.Name,
            StartsOn = m.StartsOn,
            EndsOn = m.EndsOn,
            Targets = [.. m.Targets.Select(t => new TargetView(t.TargetId, t.Code, t.Name, t.Kind, t.JurisdictionPath))],
            LaunchedAt = m.LaunchedAt,
        });
    }

    /// <summary>The directing jurisdiction's own path is the prefix of any target path that passes through it.</summary>
    private static List<string> RoundPath(RoundLaunched m)
    {
        var path = m.Targets.Select(t => t.JurisdictionPath.ToList()).FirstOrDefault(p => p.Contains(m.Jurisdiction));
        return path is null ? [m.Jurisdiction] : path[..(path.IndexOf(m.Jurisdiction) + 1)];
    }
}

public sealed class GroupFormedConsumer(AuditDb db) : IdempotentConsumer<GroupFormed, AuditDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupFormed> context)
    {
        var m = context.Message;
        return GroupMembership.ApplyAsync(Db, m.GroupId, m.RoundId, m.Name, m.TargetIds, m.Members, m.Version, context.CancellationToken);
    }
}

public sealed class GroupChangedConsumer(AuditDb db) : IdempotentConsumer<GroupChanged, AuditDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupChanged> context)
    {
        var m = context.Message;
        return GroupMembership.ApplyAsync(Db, m.GroupId, m.RoundId, m.Name, m.TargetIds, m.Members, m.Version, context.CancellationToken);
    }
}

internal static class GroupMembership
{
    /// <summary>Formed and changed events may arrive in any order: the highest version wins, older ones are ignored.</summary>
    public static async Task ApplyAsync(AuditDb db, Guid groupId, Guid roundId, string name, IReadOnlyList<Guid> targetIds,
        IReadOnlyList<GroupMember> members, int version, CancellationToken ct)
    {
        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is not null && group.Version >= version)
        {
            return;
        }
        if (group is null)
        {
            group = new GroupView { Id = groupId, Name = name };
            db.Groups.Add(group);
        }
        group.RoundId = roundId;
        group.Name = name;
        group.TargetIds = [.. targetIds];
        group.Members = [.. members.Select(x => new MemberView(x.CadreId, x.Name, x.Role, x.AccountSubject))];
        group.MemberSubjects = [.. members.Select(x => x.AccountSubject).OfType<string>().Where(s => s.Length > 0)];
        group.Version = version;
    }
}
