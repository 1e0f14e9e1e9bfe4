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
    protected override async Task Handle(ConsumeContext<GroupFormed> context)
    {
        var m = context.Message;
        var group = await Db.Groups.SingleOrDefaultAsync(g => g.GroupId == m.GroupId, context.CancellationToken);
        if (group is null)
        {
            group = new InspectionGroup { GroupId = m.GroupId, Name = m.Name };
            Db.Groups.Add(group);
        }
        else if (group.Version > m.Version)
        {
            return; // an older version arriving late changes nothing
        }
        group.RoundId = m.RoundId;
        group.Name = m.Name;
        group.Version = m.Version;
        group.MemberSubjects = [.. m.Members.Select(x => x.AccountSubject).OfType<string>().Distinct()];
        group.LeaderSubjects = [.. m.Members.Where(x => x.Role is "leader" or "deputy-leader").Select(x => x.AccountSubject).OfType<string>().Distinct()];

        var targets = await Db.RoundTargets.Where(rt => rt.RoundId == m.RoundId && m.TargetIds.Contains(rt.TargetId)).ToListAsync(context.CancellationToken);
        if (targets.Count < m.TargetIds.Count)
        {
            logger.LogWarning("GroupFormed {GroupId} names {Missing} targets that round {RoundId} does not hold", m.GroupId, m.TargetIds.Count - targets.Count, m.RoundId);
        }
        foreach (var rt in targets.Where(rt => rt.GroupVersion <= m.Version))
        {
            rt.GroupId = m.GroupId;
            rt.GroupVersion = m.Version;
            rt.Advance(RoundTargetStatus.GroupFormed);
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
