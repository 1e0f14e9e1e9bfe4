using System.Net;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

[Collection(Servers.Name)]
public sealed class OverlapTests(OverlapTests.Seeded world) : IClassFixture<OverlapTests.Seeded>
{
    public sealed class Seeded(PlatformServers servers) : PlanningFixture(servers)
    {
        public Guid Term { get; private set; }

        protected override async Task SeedAsync(PlanningHost planning)
        {
            await World.ImportAsync(Host, [World.Department("tc-a-d01", World.CountyA), World.Department("tc-a-d02", World.CountyA), World.Department("tc-a-d03", World.CountyA)]);
            Term = await World.TermAsync(Host);
        }
    }

    private PlanningHost Host => world.Host;
    private Guid Term => world.Term;

    [Fact]
    public async Task A_target_cannot_be_in_two_rounds_whose_periods_overlap()
    {
        var first = await World.RoundAsync(Host, Term, "2025-03-01", "2025-04-30", [("tc-a-d01", "regular")]);
        var second = await World.RoundAsync(Host, Term, "2025-04-15", "2025-05-31", [("tc-a-d02", "regular")]);

        var refused = (await Host.Coordinator().Post($"/rounds/{second}/targets", new { targets = new[] { new { targetId = World.IdOf("tc-a-d01"), mode = "regular" } } }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal("target-in-overlapping-round", refused["rule"]!.GetValue<string>());
        Assert.Equal(first, refused["conflicts"]![0]!["roundId"]!.GetValue<Guid>());

        // Moving a later round that holds the same target onto the first round's period is refused the same way.
        var later = await World.RoundAsync(Host, Term, "2025-09-01", "2025-09-30", [("tc-a-d01", "regular")]);
        var version = (await Host.Coordinator().Get($"/rounds/{later}")).Json["version"]!.GetValue<uint>();
        Assert.Equal("target-in-overlapping-round", (await Host.Coordinator().Put($"/rounds/{later}",
                new { name = "挪期", startsOn = "2025-04-01", endsOn = "2025-04-10", groupsNeeded = 1, version }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity).Json["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rounds_that_do_not_overlap_may_share_a_target_and_numbers_run_per_term()
    {
        var a = await World.RoundAsync(Host, Term, "2026-01-05", "2026-02-05", [("tc-a-d03", "regular")]);
        var b = await World.RoundAsync(Host, Term, "2026-02-06", "2026-03-06", [("tc-a-d03", "mobile")]);
        var numbers = new[] { a, b }.Select(async id => (await Host.Coordinator().Get($"/rounds/{id}")).Json["number"]!.GetValue<int>()).Select(t => t.Result).ToArray();
        Assert.True(numbers[1] == numbers[0] + 1, string.Join(",", numbers));
    }

    [Fact]
    public async Task Concurrent_plans_for_the_same_target_let_only_one_through()
    {
        var x = await World.RoundAsync(Host, Term, "2026-06-01", "2026-06-30", []);
        var y = await World.RoundAsync(Host, Term, "2026-06-10", "2026-07-10", []);
        var body = new { targets = new[] { new { targetId = World.IdOf("tc-a-d02"), mode = "regular" } } };
        var replies = await Task.WhenAll(Host.Coordinator().Post($"/rounds/{x}/targets", body), Host.Coordinator().Post($"/rounds/{y}/targets", body));
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.Single(replies, r => r.Status == HttpStatusCode.UnprocessableEntity);
    }
}
