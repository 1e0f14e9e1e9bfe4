using System.ComponentModel;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.Fieldwork.Reports;

public enum ReportStatus
{
    [Description("起草中")] Draft,
    [Description("巡察办审核中")] UnderReview,
    [Description("巡察办退回修改")] Returned,
    [Description("巡察办审核通过")] Approved,
    [Description("已报送")] Submitted,
}

/// <summary>One problem as the report lists it: a copy of the signed paper at assembly time.</summary>
public sealed record ReportProblem
{
    public Guid PaperId { get; init; }
    public Guid FindingId { get; init; }
    public int Number { get; init; }
    public string Title { get; init; } = "";
    public string Facts { get; init; } = "";
    public string? Suggestion { get; init; }
    public string Disposition { get; init; } = "";
}

/// <summary>巡察报告: overall assessment, problem list (signed papers only), rectification suggestions; reviewed by the office.</summary>
public sealed class InspectionReport
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public string OverallAssessment { get; set; } = "";
    public string Suggestions { get; set; } = "";
    public List<ReportProblem> Problems { get; set; } = [];
    public int ClueCount { get; set; }
    public ReportStatus Status { get; set; }
    public string? ReviewComment { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset AssembledAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public uint Version { get; private set; }

    internal static void Configure(ModelBuilder model) => model.Entity<InspectionReport>(e =>
    {
        e.ToTable("inspection_reports");
        e.HasIndex(x => x.WorkspaceId).IsUnique();
        e.Property(x => x.OverallAssessment).HasMaxLength(20000);
        e.Property(x => x.Suggestions).HasMaxLength(20000);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.ReviewComment).HasMaxLength(2000);
        e.Property(x => x.ReviewedBy).HasMaxLength(200);
        e.ComplexCollection(x => x.Problems, b => b.ToJson());
        e.Property(x => x.Version).IsRowVersion();
    });
}

/// <summary>反馈: delivered to the inspected organisation; for a village also to its township Party committee (双反馈).</summary>
public sealed class FeedbackRecord
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public List<string> Recipients { get; init; } = [];
    public int ProblemCount { get; init; }
    public int PlanDueDays { get; init; }
    public DateTimeOffset DeliveredAt { get; init; }
    public string DeliveredBy { get; init; } = "";

    internal static void Configure(ModelBuilder model) => model.Entity<FeedbackRecord>(e =>
    {
        e.ToTable("feedback_records");
        e.HasIndex(x => x.WorkspaceId).IsUnique();
        e.Property(x => x.DeliveredBy).HasMaxLength(200);
    });
}
