using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Classification;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Standards;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Terms;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Planning.Demo;

/// <summary>
/// Demo:Seed=true: the demo city, its current term with a coverage plan, two closed past rounds (so coverage is not
/// zero) and a draft round awaiting submission. Idempotent; replicas take turns on an advisory lock.
/// </summary>
public static class DemoSeed
{
    public static readonly Guid TermId = Codes.NameBased("planning-demo:term-12");

    public static async Task RunAsync(PlanningDb db, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73053)", ct);
        if (await db.Jurisdictions.AnyAsync(j => j.Id == DemoCity.City, ct))
        {
            return;
        }
        db.Jurisdictions.AddRange(DemoCity.Jurisdictions());
        var targets = DemoCity.Targets();
        db.Targets.AddRange(targets);
        var rules = ClassificationRuleSet.Default(DemoCity.City);
        rules.KeyVillageMode = InspectionMode.Escalated;
        db.RuleSets.Add(rules);
        var term = new Term
        {
            Id = TermId, Jurisdiction = DemoCity.City, JurisdictionPath = [DemoCity.City], Name = "示范市第十二届市委",
            StartsOn = new DateOnly(2022, 1, 1), EndsOn = new DateOnly(2026, 12, 31), CoverageGoal = 100m, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Terms.Add(term);

        var byCode = targets.ToDictionary(t => t.Code);
        var departments = targets.Where(t => t.Kind == TargetKind.CountyDepartment).ToList();
        var early = Townships(targets, 1, 6);
        db.Rounds.Add(PastRound(1, new DateOnly(2023, 3, 6), new DateOnly(2023, 5, 5), 9,
            departments.Select(d => (d, InspectionMode.CityDirect, (Guid?)null))));
        db.Rounds.Add(PastRound(2, new DateOnly(2024, 4, 8), new DateOnly(2024, 6, 7), 18,
            early.Select(t => (t, InspectionMode.TownshipWithVillages, (Guid?)null)).Concat(VillagesOf(early, targets, rules))));
        var draft = new Round
        {
            Id = Codes.NameBased("planning-demo:round-3"), TermId = TermId, Jurisdiction = DemoCity.City, JurisdictionPath = [DemoCity.City], Number = 3,
            Name = "示范市第十二届市委第3轮巡察", StartsOn = new DateOnly(2026, 3, 2), EndsOn = new DateOnly(2026, 4, 30), GroupsNeeded = 9,
            StandardCodes = [.. StandardsSeed.Codes], Status = RoundStatus.Draft, CreatedAt = DateTimeOffset.UtcNow,
        };
        draft.Targets.AddRange(Townships(targets, 7, 8).Select(t => new RoundTarget
        {
            RoundId = draft.Id, TargetId = t.Id, Mode = InspectionMode.TownshipWithVillages, StartsOn = draft.StartsOn, EndsOn = draft.EndsOn,
        }));
        db.Rounds.Add(draft);
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, Actor = "system", Action = "demo.seeded", EntityType = "jurisdiction", EntityId = DemoCity.City,
            Reason = "Demo:Seed=true", After = $"{{\"targets\":{targets.Count}}}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static List<Target> Townships(IReadOnlyList<Target> targets, int from, int to) =>
        [.. targets.Where(t => t.Kind == TargetKind.Township && int.Parse(t.Code[^2..]) is var n && n >= from && n <= to)];

    /// <summary>巡镇带村 for the non-key villages, 提级巡察 for the key ones, as the rules classify them.</summary>
    private static IEnumerable<(Target, InspectionMode, Guid?)> VillagesOf(List<Target> townships, IReadOnlyList<Target> targets, ClassificationRuleSet rules)
    {
        var ids = townships.ToDictionary(t => t.Code, t => t.Id);
        foreach (var village in targets.Where(t => t.Kind == TargetKind.Village && ids.ContainsKey(t.ParentCode)))
        {
            var key = VillageClassifier.Classify(village, rules).Key;
            yield return (village, key ? InspectionMode.Escalated : InspectionMode.TownshipWithVillages, key ? null : ids[village.ParentCode]);
        }
    }

    private static Round PastRound(int number, DateOnly starts, DateOnly ends, int groups, IEnumerable<(Target Target, InspectionMode Mode, Guid? Cluster)> plan)
    {
        var round = new Round
        {
            Id = Codes.NameBased($"planning-demo:round-{number}"), TermId = TermId, Jurisdiction = DemoCity.City, JurisdictionPath = [DemoCity.City],
            Number = number, Name = $"示范市第十二届市委第{number}轮巡察", StartsOn = starts, EndsOn = ends, GroupsNeeded = groups,
            StandardCodes = [.. StandardsSeed.Codes], StandardsVersion = 1, Status = RoundStatus.Closed, CreatedAt = DateTimeOffset.UtcNow,
            LaunchedAt = new DateTimeOffset(starts.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            ClosedAt = new DateTimeOffset(ends.AddDays(120).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        };
        var i = 0;
        foreach (var (target, mode, cluster) in plan)
        {
            i++;
            // Deterministic figures of the size the articles report (a few problems per target, a clue now and then).
            var problems = target.Kind == TargetKind.Village ? 2 + i % 4 : 6 + i % 7;
            round.Targets.Add(new RoundTarget
            {
                RoundId = round.Id, TargetId = target.Id, Mode = mode, ClusterTargetId = cluster, StartsOn = starts, EndsOn = ends,
                Status = RoundTargetStatus.RectificationEvaluated, GroupId = Codes.NameBased($"planning-demo:round-{number}-group-{i % groups}"),
                ProblemsFound = problems, CluesRaised = i % 9 == 0 ? 1 : 0, PetitionsReceived = i % 5,
                RectificationTasksTotal = problems, RectificationTasksClosed = problems - (i % 11 == 0 ? 1 : 0),
                FundsRecovered = i % 6 * 1.5m, RulesEstablished = i % 3, PeopleHandled = i % 8 == 0 ? 1 : 0,
                RectificationScore = 80 + i % 20, SatisfactionRate = 90 + i % 10,
            });
        }
        return round;
    }
}
