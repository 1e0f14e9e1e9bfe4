using Xuncha.Clues.Handling;

namespace Xuncha.Clues.Tests;

/// <summary>The handling path as a pure rule: transferred → received → 谈话函询/初核 → 立案 → 办结, or 予以了结.</summary>
public sealed class StateMachineTests
{
    [Theory]
    [InlineData(ClueStatus.Registered, ClueStatus.Transferred)]
    [InlineData(ClueStatus.Registered, ClueStatus.Held)]
    [InlineData(ClueStatus.Held, ClueStatus.ReturnedAsProblem)]
    [InlineData(ClueStatus.Transferred, ClueStatus.Received)]
    [InlineData(ClueStatus.Received, ClueStatus.TalkAndInquiry)]
    [InlineData(ClueStatus.Received, ClueStatus.PreliminaryVerification)]
    [InlineData(ClueStatus.TalkAndInquiry, ClueStatus.Closed)]
    [InlineData(ClueStatus.PreliminaryVerification, ClueStatus.CaseFiled)]
    [InlineData(ClueStatus.PreliminaryVerification, ClueStatus.ConcludedWithoutAction)]
    [InlineData(ClueStatus.CaseFiled, ClueStatus.Closed)]
    public void Valid_steps_pass(ClueStatus from, ClueStatus to) => Assert.Null(ClueStateMachine.Check(from, to));

    [Theory]
    [InlineData(ClueStatus.Registered, ClueStatus.Received)]
    [InlineData(ClueStatus.Transferred, ClueStatus.CaseFiled)]
    [InlineData(ClueStatus.Received, ClueStatus.Closed)]
    [InlineData(ClueStatus.CaseFiled, ClueStatus.ConcludedWithoutAction)]
    [InlineData(ClueStatus.Closed, ClueStatus.Received)]
    [InlineData(ClueStatus.ConcludedWithoutAction, ClueStatus.CaseFiled)]
    [InlineData(ClueStatus.ReturnedAsProblem, ClueStatus.Transferred)]
    [InlineData(ClueStatus.Transferred, ClueStatus.Transferred)]
    public void Invalid_steps_name_the_rule_and_what_is_allowed(ClueStatus from, ClueStatus to)
    {
        var violation = ClueStateMachine.Check(from, to);
        Assert.NotNull(violation);
        Assert.Equal("clue.status.transition", violation.Rule);
        Assert.Contains("allowed next", violation.Detail);
    }

    [Fact]
    public void Final_states_allow_nothing()
    {
        Assert.Empty(ClueStateMachine.NextFrom(ClueStatus.Closed));
        Assert.Empty(ClueStateMachine.NextFrom(ClueStatus.ConcludedWithoutAction));
        Assert.Contains("final state", ClueStateMachine.Check(ClueStatus.Closed, ClueStatus.CaseFiled)!.Detail);
    }

    [Fact]
    public void Sanctions_need_a_filed_case()
    {
        var sanctioned = new Outcome(0, 0, 1, 0, 0m);
        Assert.Equal("clue.outcome.requires-case-filed", ClueStateMachine.CheckOutcome(ClueStatus.Closed, caseWasFiled: false, sanctioned)?.Rule);
        Assert.Null(ClueStateMachine.CheckOutcome(ClueStatus.Closed, caseWasFiled: true, sanctioned));
        Assert.Null(ClueStateMachine.CheckOutcome(ClueStatus.CaseFiled, caseWasFiled: false, new Outcome(0, 2, 0, 0, 0m)));
    }

    [Fact]
    public void Concluded_without_action_carries_no_handling()
    {
        Assert.Equal("clue.outcome.concluded-without-action",
            ClueStateMachine.CheckOutcome(ClueStatus.ConcludedWithoutAction, caseWasFiled: false, new Outcome(1, 0, 0, 0, 0m))?.Rule);
        Assert.Null(ClueStateMachine.CheckOutcome(ClueStatus.ConcludedWithoutAction, caseWasFiled: false, Outcome.None));
    }

    [Fact]
    public void Organisational_handling_after_talk_and_inquiry_is_allowed() =>
        Assert.Null(ClueStateMachine.CheckOutcome(ClueStatus.Closed, caseWasFiled: false, new Outcome(1, 0, 0, 0, 0m)));
}
