using Xuncha.Contracts.Planning;

namespace Xuncha.Staffing.Rounds;

/// <summary>A launched round as staffing needs it (copied from <see cref="RoundLaunched"/>): its targets, modes and dates.</summary>
public sealed class Round
{
    public Guid Id { get; init; }
    public Guid TermId { get; init; }
    public required string Jurisdiction { get; init; }
    /// <summary>Root → the directing jurisdiction, for need-to-know checks.</summary>
    public List<string> JurisdictionPath { get; init; } = [];
    public int Number { get; init; }
    public string Name { get; init; } = "";
    public DateOnly StartsOn { get; init; }
    public DateOnly EndsOn { get; init; }
    public int GroupsNeeded { get; init; }
    public List<RoundTarget> Targets { get; init; } = [];
    public DateTimeOffset LaunchedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// One cluster per group to form: every target on its own, except villages inspected with their township
    /// (巡镇带村, <see cref="RoundTarget.ClusterTargetId"/>), which join that township's cluster.
    /// </summary>
    public IReadOnlyList<TargetCluster> Clusters()
    {
        var ids = Targets.Select(t => t.TargetId).ToHashSet();
        return
        [
            .. Targets
                .GroupBy(t => t.ClusterTargetId is { } anchor && ids.Contains(anchor) ? anchor : t.TargetId)
                .Select(g => new TargetCluster(g.Key, [.. g.OrderBy(t => t.TargetId == g.Key ? 0 : 1).ThenBy(t => t.Code, StringComparer.Ordinal)])),
        ];
    }
}

/// <summary>The target(s) one group inspects: a single target, or a township with its attached villages.</summary>
public sealed record TargetCluster(Guid Key, IReadOnlyList<RoundTarget> Targets)
{
    public RoundTarget Anchor => Targets[0];
    public bool IsCross => Targets.Any(t => t.Mode == "cross");
    public string County => Anchor.County;
    public DateOnly StartsOn => Targets.Min(t => t.StartsOn);
    public DateOnly EndsOn => Targets.Max(t => t.EndsOn);
    public string Name => Targets.Count == 1 ? Anchor.Name : $"{Anchor.Name}及所属{Targets.Count - 1}个村（社区）";
}
