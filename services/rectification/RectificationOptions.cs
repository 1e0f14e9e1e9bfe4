namespace Xuncha.Rectification;

/// <summary>The office's deadlines and thresholds (configuration section "Rectification").</summary>
public sealed class RectificationOptions
{
    /// <summary>Working days the unit has for its plan when the feedback does not say (FeedbackDelivered.PlanDueDays = 0).</summary>
    public int PlanDueWorkingDays { get; set; } = 15;

    /// <summary>Days after which a task without a ledger update is flagged (台账周更新).</summary>
    public int UpdateIntervalDays { get; set; } = 7;

    /// <summary>Base of the links printed on survey QR codes: the gateway's address of this service.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080/api/rectification";

    public EscalationOptions Escalation { get; set; } = new();
    public InterviewOptions Interview { get; set; } = new();
}

public sealed class EscalationOptions
{
    /// <summary>Runs the deadline scan in the background; tests switch it off and drive the scan on a fake clock.</summary>
    public bool Enabled { get; set; } = true;
    public int ScanSeconds { get; set; } = 300;
    /// <summary>Yellow (临期) when the deadline is this many working days away or fewer.</summary>
    public int YellowWithinWorkingDays { get; set; } = 5;
    /// <summary>提醒函 once a task is this many working days overdue.</summary>
    public int ReminderLetterAfterWorkingDays { get; set; } = 1;
    /// <summary>督办单 once a task is this many working days overdue.</summary>
    public int SupervisionOrderAfterWorkingDays { get; set; } = 5;
}

public sealed class InterviewOptions
{
    /// <summary>
    /// The situations (情形) in which the office recommends an interview; names from <see cref="Escalation.InterviewSituation"/>.
    /// Null (not configured) means all of them: a default array would be appended to, not replaced, by configuration binding.
    /// </summary>
    public string[]? Situations { get; set; }

    public IEnumerable<string> EnabledSituations => Situations ?? Enum.GetNames<Escalation.InterviewSituation>();
    /// <summary>Working days overdue beyond which the OverdueBeyondLimit situation holds.</summary>
    public int OverdueWorkingDays { get; set; } = 10;
}
