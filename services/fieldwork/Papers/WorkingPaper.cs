using System.ComponentModel;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Papers;

public enum ProblemSource
{
    [Description("信访举报")] Petition,
    [Description("个别谈话")] Interview,
    [Description("查阅资料")] DocumentReview,
    [Description("走访调研")] Visit,
    [Description("审计发现")] Audit,
    [Description("大数据比对")] DataComparison,
}

public enum PaperStatus
{
    [Description("起草中")] Draft,
    [Description("待副组长审核")] AwaitingDeputy,
    [Description("待组长签批")] AwaitingLeader,
    [Description("已签批")] Signed,
}

public enum Disposition
{
    [Description("一般问题（纳入报告和反馈）")] Ordinary,
    [Description("立行立改")] ImmediateRectification,
    [Description("问题线索移交")] Clue,
}

/// <summary>One step of the three-step sign-off (起草 → 副组长审核 → 组长签批), or a return for revision.</summary>
public sealed record SignOffEntry
{
    public string Step { get; init; } = "";
    public string Decision { get; init; } = "";
    public string By { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public string? Comment { get; init; }
}

/// <summary>问题底稿: one problem with what "五见两清" requires, its sign-off trail and, once signed, its disposition.</summary>
public sealed class WorkingPaper
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public int Number { get; init; }
    public string Title { get; set; } = "";
    public ProblemSource Source { get; set; }
    /// <summary>见时间: when the problem happened (period or dates, as written).</summary>
    public string? OccurredPeriod { get; set; }
    public string? Facts { get; set; }
    /// <summary>见数字: the figures (counts, amounts, ratios) that support the facts.</summary>
    public string? Figures { get; set; }
    public decimal? Amount { get; set; }
    public string? Causes { get; set; }
    public string? Nature { get; set; }
    public string? Degree { get; set; }
    public string? Impact { get; set; }
    public string? PolicyBasis { get; set; }
    public List<string> Evidence { get; set; } = [];
    public string? ResponsiblePerson { get; set; }
    public List<string> InvolvedPersons { get; set; } = [];
    public Guid? StandardItemId { get; set; }
    /// <summary>整改建议 carried into the report and feedback.</summary>
    public string? Suggestion { get; set; }
    public Guid? SuggestedProblemId { get; init; }

    public string DrafterSubject { get; init; } = "";
    public Guid DrafterCadreId { get; init; }
    public string DrafterName { get; init; } = "";
    public PaperStatus Status { get; set; }
    public int ReturnCount { get; set; }
    public List<SignOffEntry> SignOffs { get; set; } = [];

    public Disposition? Disposition { get; set; }
    public Guid? FindingId { get; set; }
    public Guid? ClueId { get; set; }
    /// <summary>Handed to the clue registry: the details were removed from this service.</summary>
    public bool Redacted { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SignedAt { get; set; }
    public DateTimeOffset? DisposedAt { get; set; }
    public uint Version { get; private set; }

    public string NumberText => $"第{Number:000}号";

    /// <summary>Clue details leave fieldwork: only the number, status and disposition remain.</summary>
    public void Redact()
    {
        Title = "问题线索（已移交线索管理）";
        OccurredPeriod = Facts = Figures = Causes = Nature = Degree = Impact = PolicyBasis = ResponsiblePerson = Suggestion = null;
        Amount = null;
        Evidence = [];
        InvolvedPersons = [];
        Redacted = true;
    }

    internal static void Configure(ModelBuilder model) => model.Entity<WorkingPaper>(e =>
    {
        e.ToTable("working_papers");
        e.HasIndex(x => new { x.WorkspaceId, x.Number }).IsUnique();
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Source).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.Disposition).HasConversion<string>().HasMaxLength(40);
        e.Property(x => x.DrafterSubject).HasMaxLength(200);
        e.Property(x => x.DrafterName).HasMaxLength(100);
        e.Property(x => x.Amount).HasPrecision(18, 2);
        e.ComplexCollection(x => x.SignOffs, b => b.ToJson());
        e.Property(x => x.Version).IsRowVersion();
    });
}
