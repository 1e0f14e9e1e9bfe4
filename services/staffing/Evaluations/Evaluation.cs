using System.ComponentModel;

namespace Xuncha.Staffing.Evaluations;

/// <summary>What fieldwork reported for one member on one target (from <c>FieldworkCompleted</c>).</summary>
public sealed class FieldworkFact
{
    public Guid GroupId { get; init; }
    public Guid TargetId { get; init; }
    public Guid CadreId { get; init; }
    public Guid RoundId { get; init; }
    public int ProblemsFound { get; set; }
    public int WorkingPapersAccepted { get; set; }
    public int WorkingPapersReturned { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
}

/// <summary>A member's evaluation for one group: facts from fieldwork, the discipline record, the score and the recommendation to the organisation department.</summary>
public sealed class Evaluation
{
    public Guid GroupId { get; init; }
    public Guid CadreId { get; init; }
    public Guid RoundId { get; init; }
    public int ProblemsFound { get; set; }
    public int WorkingPapersAccepted { get; set; }
    public int WorkingPapersReturned { get; set; }
    public int DisciplineBreaches { get; set; }
    public string? DisciplineNotes { get; set; }
    /// <summary>The group leader's / office's judgement of the member's work (0–100), when given.</summary>
    public int? LeaderAssessment { get; set; }
    public double Score { get; set; }
    public Recommendation Recommendation { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

public enum Recommendation
{
    [Description("待评价")] Pending,
    [Description("优秀，推荐通报表彰并优先作为年度考核优秀格次")] Excellent,
    [Description("称职")] Competent,
    [Description("基本称职，加强培训后再抽调")] Basic,
    [Description("不称职，不再抽调")] Unfit,
}

public enum EvaluationDirection
{
    [Description("巡察组评价进驻地党组织")] GroupToHost,
    [Description("进驻地党组织评价巡察组")] HostToGroup,
}

/// <summary>双向评估 (seed 001): the group rates the host jurisdiction's support, the host rates the group's conduct.</summary>
public sealed class TwoWayEvaluation
{
    public Guid GroupId { get; init; }
    public EvaluationDirection Direction { get; init; }
    public Guid RoundId { get; init; }
    public int Score { get; set; }
    public string Comments { get; set; } = "";
    public string EvaluatedBy { get; set; } = "";
    public DateTimeOffset EvaluatedAt { get; set; }
}

/// <summary>How an evaluation is scored: findings and working-paper quality from fieldwork, discipline, the leader's judgement.</summary>
public static class EvaluationScore
{
    public const string Formula =
        "得分 = min(发现问题数×4, 40) + 30×底稿采用率（采用/(采用+退回)，无底稿按0.5计） + 30 − 15×违纪次数（不低于0）；"
        + "有组长评价时与之各占一半。≥85 优秀（且已参加≥2轮方推荐表彰），≥70 称职，≥60 基本称职，其余不称职；违纪即不称职。";

    public static double Compute(Evaluation e)
    {
        var papers = e.WorkingPapersAccepted + e.WorkingPapersReturned;
        var quality = papers == 0 ? 0.5 : (double)e.WorkingPapersAccepted / papers;
        var facts = Math.Min(e.ProblemsFound * 4, 40) + 30 * quality + Math.Max(0, 30 - 15 * e.DisciplineBreaches);
        var score = e.LeaderAssessment is { } leader ? (facts + leader) / 2 : facts;
        return Math.Round(score, 1);
    }

    public static Recommendation Recommend(double score, int disciplineBreaches, int roundsServed) =>
        disciplineBreaches > 0 ? Recommendation.Unfit
        : score >= 85 && roundsServed >= 2 ? Recommendation.Excellent
        : score >= 70 ? Recommendation.Competent
        : score >= 60 ? Recommendation.Basic
        : Recommendation.Unfit;
}
