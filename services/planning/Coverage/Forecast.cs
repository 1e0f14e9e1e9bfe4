namespace Xuncha.Planning.Coverage;

/// <summary>At the term's pace so far, will it reach full coverage, and how many more rounds of what size it needs.</summary>
public sealed record Forecast(
    DateOnly AsOf, int Total, int Inspected, int Remaining, int ElapsedDays, int RemainingDays, int RoundsSoFar, double AverageRoundSize,
    double TargetsPerDay, int ProjectedInspected, decimal ProjectedRate, bool WillReachGoal, DateOnly? ProjectedCompletionOn,
    int RoundsExpectedAtPace, int RoundsNeededAtAverageSize, int RequiredRoundSize, string Summary)
{
    public static Forecast Make(DateOnly termStarts, DateOnly termEnds, DateOnly asOf, int total, int inspected, int rounds, int roundTargets, decimal goal = 100m)
    {
        var termDays = Math.Max(1, termEnds.DayNumber - termStarts.DayNumber + 1);
        var elapsed = Math.Clamp(asOf.DayNumber - termStarts.DayNumber + 1, 1, termDays);
        var remainingDays = Math.Max(0, termEnds.DayNumber - asOf.DayNumber);
        var remaining = Math.Max(0, total - inspected);
        var goalCount = (int)Math.Ceiling(total * goal / 100m);
        var stillNeeded = Math.Max(0, goalCount - inspected);
        var perDay = (double)inspected / elapsed;
        var projected = (int)Math.Min(total, Math.Floor(inspected + perDay * remainingDays));
        var average = rounds == 0 ? 0 : (double)roundTargets / rounds;
        var roundsAtPace = (int)Math.Floor((double)rounds / elapsed * remainingDays);
        var roundsNeeded = stillNeeded == 0 ? 0 : average > 0 ? (int)Math.Ceiling(stillNeeded / average) : 1;
        // The size each of the rounds the pace allows would need; with no round left at this pace, one round takes all.
        var requiredSize = stillNeeded == 0 ? 0 : (int)Math.Ceiling((double)stillNeeded / Math.Max(1, roundsAtPace));
        var willReach = projected >= goalCount;
        DateOnly? completion = stillNeeded == 0 ? asOf : perDay > 0 ? asOf.AddDays((int)Math.Min(365_000, Math.Ceiling(stillNeeded / perDay))) : null;
        var rate = total == 0 ? 100m : Math.Round(100m * projected / total, 1, MidpointRounding.AwayFromZero);
        var summary = stillNeeded == 0
            ? "已达到本届覆盖目标。"
            : willReach
                ? $"按当前进度，预计{completion:yyyy-MM-dd}前可完成覆盖目标；尚需约{roundsNeeded}轮（平均每轮{average:0.#}个对象）。"
                : $"按当前进度，届末预计覆盖{rate}%，无法实现全覆盖；剩余{stillNeeded}个对象，按进度还可安排{roundsAtPace}轮，每轮需巡察约{requiredSize}个对象（或按平均规模再安排{roundsNeeded}轮）。";
        return new Forecast(asOf, total, inspected, remaining, elapsed, remainingDays, rounds, Math.Round(average, 1), Math.Round(perDay, 3),
            projected, rate, willReach, completion, roundsAtPace, roundsNeeded, requiredSize, summary);
    }
}
