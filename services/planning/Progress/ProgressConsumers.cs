using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.Contracts.Rectification;
using Xuncha.Contracts.Staffing;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Planning.Progress;

/// <summary>巡察组组建: the round's targets get their group; the membership is kept for need-to-know.</summary>
public sealed class GroupFormedConsumer(PlanningDb db, ILogger<GroupFormedConsumer> logger) : IdempotentConsumer<GroupFormed, PlanningDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupFormed> context)
    {
        var m = context.Message;
        return GroupRoster.ApplyAsync(Db, logger, m.GroupId, m.RoundId, m.Name, m.Version, m.Members, m.TargetIds, context.CancellationToken);
    }
}

/// <summary>
/// 巡察组调整: members added, removed or swapped (and targets moved) after formation. Without it a removed member would
/// keep reading the round and a new one could not.
/// </summary>
public sealed class GroupChangedConsumer(PlanningDb db, ILogger<GroupChangedConsumer> logger) : IdempotentConsumer<GroupChanged, PlanningDb>(db)
{
    protected override Task Handle(ConsumeContext<GroupChanged> context)
    {
        var m = context.Message;
        return GroupRoster.ApplyAsync(Db, logger, m.GroupId, m.RoundId, m.Name, m.Version, m.Members, m.TargetIds, context.CancellationToken);
    }
}

/// <summary>A group's latest version wins: its roster for need-to-know, and its targets.</summary>
internal static class GroupRoster
{
    public static async Task ApplyAsync(PlanningDb db, ILogger logger, Guid groupId, Guid roundId, string name, int version,
        IReadOnlyList<GroupMember> members, IReadOnlyList<Guid> targetIds, CancellationToken ct)
    {
        var group = await db.Groups.SingleOrDefaultAsync(g => g.GroupId == groupId, ct);
        if (group is null)
        {
            group = new InspectionGroup { GroupId = groupId, Name = name };
            db.Groups.Add(group);
        }
        else if (group.Version > version)
        {
            return; // an older version arriving late changes nothing
        }
        group.RoundId = roundId;
        group.Name = name;
        group.Version = version;
        group.MemberSubjects = [.. members.Select(x => x.AccountSubject).OfType<string>().Distinct()];
        group.LeaderSubjects = [.. members.Where(x => x.Role is "leader" or "deputy-leader").Select(x => x.AccountSubject).OfType<string>().Distinct()];

        var targets = await db.RoundTargets.Where(rt => rt.RoundId == roundId && (targetIds.Contains(rt.TargetId) || rt.GroupId == groupId)).ToListAsync(ct);
        if (targets.Count(rt => targetIds.Contains(rt.TargetId)) < targetIds.Count)
        {
            logger.LogWarning("Group {GroupId} v{Version} names targets that round {RoundId} does not hold", groupId, version, roundId);
        }
        foreach (var rt in targets.Where(rt => rt.GroupVersion <= version || rt.GroupId == groupId))
        {
            if (targetIds.Contains(rt.TargetId))
            {
                rt.GroupId = groupId;
                rt.GroupVersion = version;
                rt.Advance(RoundTargetStatus.GroupFormed);
            }
            else if (rt.GroupId == groupId)
            {
                // Moved out of this group: its members no longer read it through this group.
                rt.GroupId = null;
            }
        }
    }
}

/// <summary>进驻结束: the target's fieldwork figures feed statistics.</summary>
public sealed class FieldworkCompletedConsumer(PlanningDb db, ILogger<FieldworkCompletedConsumer> logger) : IdempotentConsumer<FieldworkCompleted, PlanningDb>(db)
{
    protected override async Task Handle(ConsumeContext<FieldworkCompleted> context)
    {
        var m = context.Message;
        var rt = await Db.RoundTargets.SingleOrDefaultAsync(x => x.RoundId == m.RoundId && x.TargetId == m.TargetId, context.CancellationToken);
        if (rt is null)
        {
            logger.LogWarning("FieldworkCompleted for target {TargetId} that round {RoundId} does not hold", m.TargetId, m.RoundId);
            return;
        }
        rt.GroupId ??= m.GroupId;
        rt.ProblemsFound = m.ProblemsFound;
        rt.CluesRaised = m.CluesRaised;
        rt.PetitionsReceived = m.PetitionsReceived;
        rt.Advance(RoundTargetStatus.FieldworkCompleted);
    }
}

/// <summary>整改评估: the target's rectification figures feed statistics.</summary>
public sealed class RectificationEvaluatedConsumer(PlanningDb db, ILogger<RectificationEvaluatedConsumer> logger) : IdempotentConsumer<RectificationEvaluated, PlanningDb>(db)
{
    protected override async Task Handle(ConsumeContext<RectificationEvaluated> context)
    {
        var m = context.Message;
        var rt = await Db.RoundTargets.SingleOrDefaultAsync(x => x.RoundId == m.RoundId && x.TargetId == m.TargetId, context.CancellationToken);
        if (rt is null)
        {
            logger.LogWarning("RectificationEvaluated for target {TargetId} that round {RoundId} does not hold", m.TargetId, m.RoundId);
            return;
        }
        rt.RectificationTasksTotal = m.TasksTotal;
        rt.RectificationTasksClosed = m.TasksClosed;
        rt.FundsRecovered = m.FundsRecovered;
        rt.RulesEstablished = m.RulesEstablished;
        rt.PeopleHandled = m.PeopleHandled;
        rt.RectificationScore = m.Score;
        rt.SatisfactionRate = m.SatisfactionRate;
        rt.Advance(RoundTargetStatus.RectificationEvaluated);
    }
}
