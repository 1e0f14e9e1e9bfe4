namespace Xuncha.Clues.Handling;

/// <summary>A refused change, with the rule it breaks (answered as 422 naming the rule).</summary>
public sealed record RuleViolation(string Rule, string Detail);

/// <summary>
/// The clue's life: registration and assessment on the office's side; once transferred, the receiving office's handling
/// (接收 → 谈话函询 or 初核 → 立案 → 办结, or 予以了结). Nothing skips a step or leaves a final state.
/// </summary>
public static class ClueStateMachine
{
    private static readonly Dictionary<ClueStatus, ClueStatus[]> Allowed = new()
    {
        [ClueStatus.Registered] = [ClueStatus.Held, ClueStatus.ReturnedAsProblem, ClueStatus.Transferred],
        [ClueStatus.Held] = [ClueStatus.Held, ClueStatus.ReturnedAsProblem, ClueStatus.Transferred],
        [ClueStatus.Transferred] = [ClueStatus.Received],
        [ClueStatus.Received] = [ClueStatus.TalkAndInquiry, ClueStatus.PreliminaryVerification, ClueStatus.ConcludedWithoutAction],
        // 谈话函询 ends with organisational handling (办结), moves on to 初核 when the explanation does not hold, or is closed as 了结.
        [ClueStatus.TalkAndInquiry] = [ClueStatus.PreliminaryVerification, ClueStatus.Closed, ClueStatus.ConcludedWithoutAction],
        [ClueStatus.PreliminaryVerification] = [ClueStatus.CaseFiled, ClueStatus.Closed, ClueStatus.ConcludedWithoutAction],
        [ClueStatus.CaseFiled] = [ClueStatus.Closed],
        [ClueStatus.ReturnedAsProblem] = [],
        [ClueStatus.Closed] = [],
        [ClueStatus.ConcludedWithoutAction] = [],
    };

    /// <summary>Statuses the receiving office reports (by push or through the clue officer's record).</summary>
    public static readonly IReadOnlySet<ClueStatus> HandlingStatuses = new HashSet<ClueStatus>
    {
        ClueStatus.Received, ClueStatus.TalkAndInquiry, ClueStatus.PreliminaryVerification, ClueStatus.CaseFiled,
        ClueStatus.Closed, ClueStatus.ConcludedWithoutAction,
    };

    /// <summary>Transferred and not yet concluded: the receiving office still owes its feedback.</summary>
    public static readonly IReadOnlySet<ClueStatus> AwaitingFeedback = new HashSet<ClueStatus>
    {
        ClueStatus.Transferred, ClueStatus.Received, ClueStatus.TalkAndInquiry, ClueStatus.PreliminaryVerification, ClueStatus.CaseFiled,
    };

    public static bool IsConcluded(ClueStatus status) => status is ClueStatus.Closed or ClueStatus.ConcludedWithoutAction;

    public static IReadOnlyList<ClueStatus> NextFrom(ClueStatus status) => Allowed[status];

    public static RuleViolation? Check(ClueStatus from, ClueStatus to) =>
        Allowed[from].Contains(to)
            ? null
            : new RuleViolation("clue.status.transition",
                $"A clue cannot go from '{Registry.Terms.Code(from)}' to '{Registry.Terms.Code(to)}'; allowed next: " +
                (Allowed[from].Length == 0 ? "none (final state)" : string.Join(", ", Allowed[from].Select(s => Registry.Terms.Code(s)))) + ".");

    /// <summary>Outcome figures must fit the handling: only a filed case leads to sanctions, judicial transfer or people on file.</summary>
    public static RuleViolation? CheckOutcome(ClueStatus to, bool caseWasFiled, Outcome outcome)
    {
        var filed = caseWasFiled || to == ClueStatus.CaseFiled;
        if (!filed && (outcome.CasesFiled > 0 || outcome.Sanctions > 0 || outcome.JudicialTransfers > 0))
        {
            return new RuleViolation("clue.outcome.requires-case-filed", "People placed on file, sanctions and judicial transfers can only be reported for a clue whose case was filed (立案).");
        }
        if (to == ClueStatus.ConcludedWithoutAction && (outcome.OrganisationalHandlings > 0 || outcome.Sanctions > 0 || outcome.JudicialTransfers > 0))
        {
            return new RuleViolation("clue.outcome.concluded-without-action", "A clue concluded without action (予以了结) carries no handling, sanction or judicial transfer.");
        }
        return null;
    }
}

/// <summary>The handling figures of one clue as the receiving office last reported them (cumulative).</summary>
public sealed record Outcome(int OrganisationalHandlings, int CasesFiled, int Sanctions, int JudicialTransfers, decimal FundsRecovered)
{
    public static readonly Outcome None = new(0, 0, 0, 0, 0m);
}
