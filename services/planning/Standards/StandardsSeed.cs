using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;

namespace Xuncha.Planning.Standards;

/// <summary>Version 1 of the library: the examples of seed 000 (以标准化思维重塑市县巡察工作新格局, "标到事").</summary>
public static class StandardsSeed
{
    private const string Basis = "衡阳城乡治理标准“标到事”在市县巡察中的运用（领域分类、层级分标）";

    public static IReadOnlyList<StandardItem> Items { get; } =
    [
        Item("RR-01", SupervisionDomain.RuralRevitalisation, TargetKind.CountyDepartment, "产业帮扶资金拨付时限", Comparison.AtMost, 15, "个工作日"),
        Item("RR-02", SupervisionDomain.RuralRevitalisation, TargetKind.Township, "产业帮扶资金拨付时限", Comparison.AtMost, 15, "个工作日"),
        Item("RR-03", SupervisionDomain.RuralRevitalisation, TargetKind.Village, "集体资产租赁执行“三议两公开”的比例", Comparison.EqualTo, 100, "%"),
        Item("LV-01", SupervisionDomain.Livelihood, TargetKind.Township, "低保动态复核频次", Comparison.AtLeast, 1, "次/季度"),
        Item("LV-02", SupervisionDomain.Livelihood, TargetKind.CountyDepartment, "拆迁过渡费足额发放率", Comparison.EqualTo, 100, "%"),
        Item("PB-01", SupervisionDomain.GrassrootsPartyBuilding, TargetKind.Village, "“三会一课”参会率", Comparison.AtLeast, 85, "%"),
        Item("PB-02", SupervisionDomain.GrassrootsPartyBuilding, TargetKind.Township, "发展党员程序合格率", Comparison.EqualTo, 100, "%"),
        Item("PG-01", SupervisionDomain.StrictPartyGovernance, TargetKind.CountyDepartment, "廉政风险点排查频次", Comparison.AtLeast, 1, "次/半年"),
        Item("PG-02", SupervisionDomain.StrictPartyGovernance, TargetKind.CountyDepartment, "谈话提醒覆盖率", Comparison.AtLeast, 90, "%"),
    ];

    public static IEnumerable<string> Codes => Items.Select(i => i.Code);

    private static StandardItem Item(string code, SupervisionDomain domain, TargetKind level, string indicator, Comparison comparison, decimal threshold, string unit) =>
        new() { Code = code, Domain = domain, Level = level, Indicator = indicator, Comparison = comparison, Threshold = threshold, Unit = unit, PolicyBasis = Basis };

    /// <summary>Publishes version 1 once; replicas starting together take turns on an advisory lock.</summary>
    public static async Task EnsureAsync(PlanningDb db, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73052)", ct);
        if (!await db.StandardVersions.AnyAsync(ct))
        {
            await StandardsLibrary.PublishAsync(db, "system", "初始版本：示例标准（标到事）", _ => [.. Items], ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
