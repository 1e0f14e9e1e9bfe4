namespace Xuncha.Rectification.Evaluation;

/// <summary>整改评估 of one case: the checklist points, the survey's rate at the time, and the outcomes counted.</summary>
public sealed class CaseEvaluation
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public Dictionary<string, decimal> Scores { get; set; } = [];
    public List<AreaScore> Areas { get; set; } = [];
    public decimal ChecklistPercent { get; set; }
    public decimal SatisfactionRate { get; set; }
    public int SurveyResponses { get; set; }
    public decimal Total { get; set; }
    public Grade Grade { get; set; }
    public decimal FundsRecovered { get; set; }
    public int RulesEstablished { get; set; }
    public int PeopleHandled { get; set; }
    public int TasksTotal { get; set; }
    public int TasksClosed { get; set; }
    public DateTimeOffset EvaluatedAt { get; set; }
    public string EvaluatedBy { get; set; } = "";
}

/// <summary>
/// The anonymous public satisfaction survey (群众满意度测评) of one case: only counts are stored — no answer can be
/// traced to a respondent because no answer is kept.
/// </summary>
public sealed class SatisfactionSurvey
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    /// <summary>The unguessable part of the public link.</summary>
    public string Token { get; init; } = "";
    public bool Open { get; set; } = true;
    public int Satisfied { get; set; }
    public int BasicallySatisfied { get; set; }
    public int Dissatisfied { get; set; }
    public DateTimeOffset OpenedAt { get; init; }

    public int Responses => Satisfied + BasicallySatisfied + Dissatisfied;

    /// <summary>满意率: satisfied and basically satisfied over all answers; 0 with no answers.</summary>
    public decimal Rate => Responses == 0 ? 0m : Math.Round((decimal)(Satisfied + BasicallySatisfied) / Responses, 4, MidpointRounding.AwayFromZero);
}

public enum SatisfactionAnswer
{
    [System.ComponentModel.Description("满意")] Satisfied,
    [System.ComponentModel.Description("基本满意")] BasicallySatisfied,
    [System.ComponentModel.Description("不满意")] Dissatisfied,
}
