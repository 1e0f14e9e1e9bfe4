namespace Xuncha.Rectification.Evaluation;

/// <summary>
/// The scored checklist (整改评估指标体系) and how a grade follows from it. Configurable under
/// "Rectification:Evaluation"; without configuration the default below: 22 indicators in 4 areas, 100 points.
/// Total = checklist points × (1 − w) + satisfaction rate × 100 × w, with w = SatisfactionWeight.
/// </summary>
public sealed class IndicatorModel
{
    public IndicatorArea[] Areas { get; set; } = [];
    public decimal SatisfactionWeight { get; set; } = 0.2m;
    /// <summary>Lowest total for 好, 较好, 基本合格 (below the last: 不合格).</summary>
    public decimal GoodFrom { get; set; } = 90m;
    public decimal FairlyGoodFrom { get; set; } = 80m;
    public decimal PassFrom { get; set; } = 60m;

    public IEnumerable<Indicator> Indicators => Areas.SelectMany(a => a.Indicators);
    public decimal MaxPoints => Indicators.Sum(i => i.MaxPoints);

    public static IndicatorModel Default { get; } = new()
    {
        Areas =
        [
            Area("A", "整改责任落实", 25, "党组织主要负责人履行第一责任人职责", "班子成员落实分管领域整改责任", "专题研究部署整改工作", "整改方案按期报送", "三级责任人明确到人", "整改联络员对接报送及时"),
            Area("B", "问题整改成效", 35, "反馈问题按期完成整改", "立行立改事项及时整改", "整改措施具体可行", "销号佐证材料真实完整", "无虚假整改、敷衍整改", "长期任务阶段性目标达成", "回头看未发现问题反弹"),
            Area("C", "建章立制与成果运用", 25, "针对共性问题建立制度", "制度执行有效", "违规资金清退追缴到位", "问题线索处置配合到位", "举一反三开展自查自纠"),
            Area("D", "整改公开与群众监督", 15, "整改情况按规定公开", "群众反映问题得到回应", "台账周更新月通报落实", "整改评估资料规范完整"),
        ],
    };

    private static IndicatorArea Area(string code, string name, int points, params string[] names)
    {
        // Points spread evenly; the first indicators take the remainder so the area adds up exactly.
        var each = points / names.Length;
        var extra = points % names.Length;
        return new IndicatorArea
        {
            Code = code,
            Name = name,
            Indicators = [.. names.Select((n, i) => new Indicator { Code = $"{code}{i + 1}", Name = n, MaxPoints = each + (i < extra ? 1 : 0) })],
        };
    }

    public Grade GradeOf(decimal total) =>
        total >= GoodFrom ? Grade.Good : total >= FairlyGoodFrom ? Grade.FairlyGood : total >= PassFrom ? Grade.Pass : Grade.Fail;

    /// <summary>Field errors for a set of indicator points: every indicator scored once, within 0..max.</summary>
    public Dictionary<string, string[]> Check(IReadOnlyDictionary<string, decimal> points)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var indicator in Indicators)
        {
            if (!points.TryGetValue(indicator.Code, out var p)) errors[$"scores.{indicator.Code}"] = ["required"];
            else if (p < 0 || p > indicator.MaxPoints) errors[$"scores.{indicator.Code}"] = [$"0–{indicator.MaxPoints}"];
        }
        foreach (var unknown in points.Keys.Where(k => Indicators.All(i => i.Code != k)))
        {
            errors[$"scores.{unknown}"] = ["not an indicator of the model"];
        }
        return errors;
    }

    public EvaluationResult Evaluate(IReadOnlyDictionary<string, decimal> points, decimal satisfactionRate)
    {
        var byArea = Areas.Select(a => new AreaScore(a.Code, a.Name, a.Indicators.Sum(i => points[i.Code]), a.Indicators.Sum(i => i.MaxPoints))).ToList();
        var checklist = byArea.Sum(a => a.Points);
        var checklistPercent = MaxPoints == 0 ? 0 : checklist / MaxPoints * 100m;
        var total = Math.Round(checklistPercent * (1 - SatisfactionWeight) + satisfactionRate * 100m * SatisfactionWeight, 2, MidpointRounding.AwayFromZero);
        return new EvaluationResult(byArea, Math.Round(checklistPercent, 2, MidpointRounding.AwayFromZero), total, GradeOf(total));
    }
}

public sealed class IndicatorArea
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public Indicator[] Indicators { get; set; } = [];
}

public sealed class Indicator
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal MaxPoints { get; set; }
}

public sealed record AreaScore(string Code, string Name, decimal Points, decimal MaxPoints);

public sealed record EvaluationResult(IReadOnlyList<AreaScore> Areas, decimal ChecklistPercent, decimal Total, Grade Grade);

public enum Grade
{
    [System.ComponentModel.Description("好")] Good,
    [System.ComponentModel.Description("较好")] FairlyGood,
    [System.ComponentModel.Description("基本合格")] Pass,
    [System.ComponentModel.Description("不合格")] Fail,
}
