using System.ComponentModel;

namespace Xuncha.AuditLinkage.Problems;

public enum ProblemOrigin
{
    [Description("审计发现")] AuditFinding,
    [Description("巡察发现")] GroupProblem,
}

/// <summary>
/// A line of the shared problem list (一巡察两报告): found by either side, cross-verified, carrying the inspection
/// characterisation (巡察定性) and the audit characterisation (审计定性), and flagged for one or both reports.
/// </summary>
public sealed class SharedProblem
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public Guid TargetId { get; init; }
    public ProblemOrigin Origin { get; init; }
    public required string Title { get; init; }
    public required string Facts { get; init; }
    public decimal? Amount { get; init; }
    public string? InspectionCharacterisation { get; set; }
    public string? AuditCharacterisation { get; set; }
    public bool ForInspectionReport { get; set; }
    public bool ForAuditReport { get; set; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public uint Version { get; private set; }
}
