using System.Globalization;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Classification;

public sealed record ClassificationResult(
    Guid TargetId, string Code, string Name, bool Key, string Label, IReadOnlyList<string> Reasons, bool RulesSayKey,
    InspectionMode RecommendedMode, bool Overridden, string? OverrideReason, string? OverrideBy, DateTimeOffset? OverrideAt, string RuleSet);

/// <summary>Applies a rule set to a village: key or not, every reason, and the recommended mode; an override wins but keeps the rules' reasons.</summary>
public static class VillageClassifier
{
    public static ClassificationResult Classify(Target village, ClassificationRuleSet rules)
    {
        var a = village.Attributes;
        var reasons = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (a.EconomicSize >= rules.EconomicSizeAtLeast) reasons.Add($"经济体量较大：{a.EconomicSize.ToString("0.##", c)}万元 ≥ {rules.EconomicSizeAtLeast.ToString("0.##", c)}万元");
        if (a.Petitions >= rules.PetitionsAtLeast) reasons.Add($"信访反映较多：{a.Petitions}件 ≥ {rules.PetitionsAtLeast}件");
        if (a.Projects >= rules.ProjectsAtLeast) reasons.Add($"工程项目较多：{a.Projects}个 ≥ {rules.ProjectsAtLeast}个");
        if (a.SpecialFunds >= rules.SpecialFundsAtLeast) reasons.Add($"专项资金较多：{a.SpecialFunds.ToString("0.##", c)}万元 ≥ {rules.SpecialFundsAtLeast.ToString("0.##", c)}万元");
        if (rules.WeakPartyOrganisationIsKey && a.WeakPartyOrganisation) reasons.Add("党组织软弱涣散");
        if (rules.DataAnomalyIsKey && a.DataAnomaly) reasons.Add("村情大数据异常");
        var rulesSayKey = reasons.Count > 0;
        if (!rulesSayKey) reasons.Add("经济体量小、信访反映少、村情简单，未达任何重点村标准");
        var key = village.OverrideKey ?? rulesSayKey;
        if (village.OverrideKey is { } o) reasons.Add($"巡察办调整为{(o ? "重点村" : "非重点村")}：{village.OverrideReason}");
        return new ClassificationResult(village.Id, village.Code, village.Name, key, key ? "重点村" : "非重点村", reasons, rulesSayKey,
            key ? rules.KeyVillageMode : InspectionMode.TownshipWithVillages,
            village.OverrideKey is not null, village.OverrideReason, village.OverrideBy, village.OverrideAt, rules.Jurisdiction);
    }

    /// <summary>The nearest rule set on the path (village's own county before the city), or the defaults of the root.</summary>
    public static ClassificationRuleSet RulesFor(IReadOnlyList<string> path, IReadOnlyCollection<ClassificationRuleSet> ruleSets)
    {
        for (var i = path.Count - 1; i >= 0; i--)
        {
            if (ruleSets.FirstOrDefault(r => r.Jurisdiction == path[i]) is { } found) return found;
        }
        return ClassificationRuleSet.Default(path.Count > 0 ? path[0] : "");
    }
}
