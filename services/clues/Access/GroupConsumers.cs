using MassTransit;
using Xuncha.Clues.Data;
using Xuncha.Contracts.Staffing;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Clues.Access;

public sealed class GroupFormedConsumer(CluesDb db) : IdempotentConsumer<GroupFormed, CluesDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupFormed> context)
    {
        var m = context.Message;
        return GroupLeadership.ApplyAsync(Db, m.GroupId, m.RoundId, m.Jurisdiction, m.TargetIds, m.Members, m.Version, context.CancellationToken);
    }
}

public sealed class GroupChangedConsumer(CluesDb db) : IdempotentConsumer<GroupChanged, CluesDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupChanged> context)
    {
        var m = context.Message;
        return GroupLeadership.ApplyAsync(Db, m.GroupId, m.RoundId, m.Jurisdiction, m.TargetIds, m.Members, m.Version, context.CancellationToken);
    }
}

internal static class GroupLeadership
{
    public const string LeaderRole = "leader";

    /// <summary>Keeps the highest version seen: a late, older message never undoes a newer membership.</summary>
    public static async Task ApplyAsync(CluesDb db, Guid groupId, Guid roundId, string jurisdiction, IReadOnlyList<Guid> targets,
        IReadOnlyList<GroupMember> members, int version, CancellationToken ct)
    {
        var leaders = members.Where(m => m.Role == LeaderRole && !string.IsNullOrEmpty(m.AccountSubject)).Select(m => m.AccountSubject!).Distinct().ToList();
        var group = await db.Groups.FindAsync([groupId], ct);
        if (group is null)
        {
            db.Groups.Add(new InspectionGroup { GroupId = groupId, RoundId = roundId, Jurisdiction = jurisdiction, TargetIds = [.. targets], LeaderSubjects = leaders, Version = version });
            return;
        }
        if (version <= group.Version)
        {
            return;
        }
        group.RoundId = roundId;
        group.Jurisdiction = jurisdiction;
        group.TargetIds = [.. targets];
        group.LeaderSubjects = leaders;
        group.Version = version;
    }
}
