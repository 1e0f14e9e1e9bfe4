using ContractTarget = Xuncha.Contracts.Planning.RoundTarget;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Planning;
using Xuncha.Planning.Classification;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Planning.Rounds;

/// <summary>What launching and closing a round does besides changing its status.</summary>
public static class RoundLaunch
{
    /// <summary>
    /// 巡镇带村: every township launched in that mode takes its non-key villages along (those not already in this round
    /// or in another round of an overlapping period); the standards version is frozen; RoundLaunched goes to the outbox.
    /// </summary>
    public static async Task<int> LaunchAsync(PlanningDb db, Round round, CancellationToken ct)
    {
        await RoundRules.LockMembershipAsync(db, ct);
        var attached = await AttachVillagesAsync(db, round, ct);
        round.StandardsVersion = await db.StandardVersions.MaxAsync(v => (int?)v.Number, ct) ?? 0;
        round.Status = RoundStatus.Launched;
        round.LaunchedAt = DateTimeOffset.UtcNow;

        var ids = round.Targets.Select(t => t.TargetId).ToList();
        var targets = await db.Targets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        db.AddEvent(new RoundLaunched
        {
            RoundId = round.Id, TermId = round.TermId, Jurisdiction = round.Jurisdiction, Number = round.Number, Name = round.Name,
            StartsOn = round.StartsOn, EndsOn = round.EndsOn, GroupsNeeded = round.GroupsNeeded, StandardsVersion = round.StandardsVersion.Value,
            LaunchedAt = round.LaunchedAt.Value,
            Targets = [.. round.Targets.OrderBy(rt => targets[rt.TargetId].Code, StringComparer.Ordinal).Select(rt => Describe(rt, targets[rt.TargetId]))],
        });
        return attached;
    }

    public static void Close(PlanningDb db, Round round)
    {
        round.Status = RoundStatus.Closed;
        round.ClosedAt = DateTimeOffset.UtcNow;
        db.AddEvent(new RoundClosed { RoundId = round.Id, TermId = round.TermId, Jurisdiction = round.Jurisdiction, ClosedAt = round.ClosedAt.Value });
    }

    private static ContractTarget Describe(RoundTarget rt, Target t) => new()
    {
        TargetId = t.Id, Code = t.Code, ParentCode = t.ParentCode, Name = t.Name, Kind = t.Kind.Code(), Mode = Codes.Of(rt.Mode),
        JurisdictionPath = t.JurisdictionPath, County = t.County, ClusterTargetId = rt.ClusterTargetId,
        StaffSourceJurisdictions = rt.StaffSourceJurisdictions, StartsOn = rt.StartsOn, EndsOn = rt.EndsOn,
    };

    private static async Task<int> AttachVillagesAsync(PlanningDb db, Round round, CancellationToken ct)
    {
        var clusters = round.Targets.Where(rt => rt.Mode == InspectionMode.TownshipWithVillages).ToList();
        if (clusters.Count == 0) return 0;
        var clusterIds = clusters.Select(c => c.TargetId).ToList();
        var townships = await db.Targets.AsNoTracking().Where(t => clusterIds.Contains(t.Id) && t.Kind == TargetKind.Township).ToDictionaryAsync(t => t.Code, ct);
        var codes = townships.Keys.ToList();
        var villages = await db.Targets.AsNoTracking().Where(t => t.Kind == TargetKind.Village && codes.Contains(t.ParentCode)).ToListAsync(ct);
        var ruleSets = await db.RuleSets.AsNoTracking().ToListAsync(ct);
        var inRound = round.Targets.Select(t => t.TargetId).ToHashSet();
        var candidates = villages.Where(v => !inRound.Contains(v.Id) && !VillageClassifier.Classify(v, VillageClassifier.RulesFor(v.JurisdictionPath, ruleSets)).Key).ToList();
        var busy = (await RoundRules.FindOverlapsAsync(db, round.Id, round.StartsOn, round.EndsOn, [.. candidates.Select(v => v.Id)], ct))
            .Select(o => o.TargetId).ToHashSet();
        var attached = 0;
        foreach (var village in candidates.Where(v => !busy.Contains(v.Id)))
        {
            var township = clusters.Single(c => c.TargetId == townships[village.ParentCode].Id);
            round.Targets.Add(new RoundTarget
            {
                RoundId = round.Id, TargetId = village.Id, Mode = InspectionMode.TownshipWithVillages, ClusterTargetId = township.TargetId,
                StartsOn = township.StartsOn, EndsOn = township.EndsOn, Status = RoundTargetStatus.Planned,
            });
            attached++;
        }
        return attached;
    }
}
