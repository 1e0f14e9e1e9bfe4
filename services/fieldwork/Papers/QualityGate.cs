namespace Xuncha.Fieldwork.Papers;

/// <summary>
/// 五见两清 / 四个准确: a problem is written up only when it shows the time, facts, figures, causes and nature, and
/// states its degree and impact, on a policy basis. Each gap is named so the drafter knows what to add.
/// </summary>
public static class QualityGate
{
    public sealed record Gap(string Field, string Requirement);

    public static IReadOnlyList<Gap> Missing(WorkingPaper p)
    {
        var gaps = new List<Gap>();
        void Need(bool present, string field, string requirement)
        {
            if (!present) gaps.Add(new Gap(field, requirement));
        }
        Need(Present(p.OccurredPeriod), "occurredPeriod", "见时间：问题发生的时间");
        Need(Present(p.Facts), "facts", "见事实：具体事实");
        Need(Present(p.Figures) || p.Amount is not null, "figures", "见数字：数据或金额");
        Need(Present(p.Causes), "causes", "见原因：问题产生的原因");
        Need(Present(p.Nature), "nature", "见性质：问题性质");
        Need(Present(p.Degree), "degree", "问题程度表述清");
        Need(Present(p.Impact), "impact", "产生影响表述清");
        Need(Present(p.PolicyBasis), "policyBasis", "定性依据：违反的政策规定");
        return gaps;
    }

    private static bool Present(string? s) => !string.IsNullOrWhiteSpace(s);
}
