using System.Net;
using System.Text.Json.Nodes;
using Xuncha.Planning.Coverage;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

/// <summary>The articles' own figures as oracles: seed 002 (Shangluo) and seed 004 (Nanzhang).</summary>
[Collection(Servers.Name)]
public sealed class CoverageTests(CityFixture world) : IClassFixture<CityFixture>
{
    private PlanningHost Host => world.Host;

    private static JsonNode Line(JsonNode coverage, string key) => coverage["levels"]!.AsArray().Single(l => l!["key"]!.GetValue<string>() == key)!;

    [Fact]
    public async Task Seed_002_896_of_1303_villages_is_68_8_percent()
    {
        // County A: 100 townships, 1,303 villages (13 each, 14 in the first three).
        var lines = new List<string>();
        var villages = new List<string>();
        for (var t = 1; t <= 100; t++)
        {
            var township = $"tc-a-t{t:000}";
            lines.Add(World.Township(township, World.CountyA));
            for (var v = 1; v <= (t <= 3 ? 14 : 13); v++)
            {
                var code = $"{township}-v{v:00}";
                lines.Add(World.Village(code, township));
                villages.Add(code);
            }
        }
        Assert.Equal(1303, villages.Count);
        await World.ImportAsync(Host, lines);
        var term = await World.TermAsync(Host, World.CountyA, "2021-10-01", "2026-09-30");
        // 896 villages over two launched rounds (county-direct and township-with-villages attachments alike count).
        var r1 = await World.RoundAsync(Host, term, "2023-03-01", "2023-04-30", villages.Take(500).Select(c => (c, "county-direct")), World.CountyA);
        await World.LaunchAsync(Host, r1, World.CountyA);
        var r2 = await World.RoundAsync(Host, term, "2024-03-01", "2024-04-30", villages.Skip(450).Take(446).Select(c => (c, "regular")), World.CountyA);
        await World.LaunchAsync(Host, r2, World.CountyA);
        // A draft round counts for nothing.
        await World.RoundAsync(Host, term, "2025-03-01", "2025-04-30", villages.Skip(900).Take(50).Select(c => (c, "regular")), World.CountyA);

        var coverage = (await Host.LeadingGroup(World.CountyA).Get($"/terms/{term}/coverage?asOf=2025-06-30")).Expect(HttpStatusCode.OK).Json;
        var village = Line(coverage, "village");
        Assert.Equal(896, village["inspected"]!.GetValue<int>());
        Assert.Equal(1303, village["total"]!.GetValue<int>());
        Assert.Equal(68.8m, village["rate"]!.GetValue<decimal>());
        Assert.Equal(407, village["remaining"]!.GetValue<int>());
        var county = coverage["counties"]!.AsArray().Single()!;
        Assert.Equal("甲县", county["name"]!.GetValue<string>());

        var remaining = (await Host.LeadingGroup(World.CountyA).Get($"/terms/{term}/coverage/remaining?kind=village&pageSize=1000")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(407, remaining["total"]!.GetValue<int>());
        Assert.DoesNotContain(remaining["items"]!.AsArray(), i => villages.Take(896).Contains(i!["code"]!.GetValue<string>()));

        var forecast = (await Host.LeadingGroup(World.CountyA).Get($"/terms/{term}/forecast?asOf=2025-06-30")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(2, forecast["roundsSoFar"]!.GetValue<int>());
        Assert.False(forecast["willReachGoal"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Seed_004_68_units_at_93_2_percent_and_303_villages_at_100_percent_each_counted_once()
    {
        // County B: 60 departments and 13 townships (73 units), 303 villages under the townships.
        var lines = new List<string>();
        var departments = Enumerable.Range(1, 60).Select(d => $"tc-b-d{d:00}").ToList();
        var townships = Enumerable.Range(1, 13).Select(t => $"tc-b-t{t:00}").ToList();
        lines.AddRange(departments.Select(d => World.Department(d, World.CountyB)));
        lines.AddRange(townships.Select(t => World.Township(t, World.CountyB)));
        var villages = new List<string>();
        for (var i = 0; i < 303; i++)
        {
            var township = townships[i % 13];
            var code = $"{township}-v{i / 13 + 1:00}";
            villages.Add(code);
            lines.Add(World.Village(code, township));
        }
        await World.ImportAsync(Host, lines);
        var term = await World.TermAsync(Host, World.CountyB, "2021-10-01", "2026-09-30");
        var r1 = await World.RoundAsync(Host, term, "2022-04-01", "2022-05-31",
            departments.Take(56).Select(d => (d, "regular")).Concat(villages.Take(200).Select(v => (v, "regular"))), World.CountyB);
        await World.LaunchAsync(Host, r1, World.CountyB);
        // Read (and cached) now; the launch below must show in the next read.
        var early = (await Host.LeadingGroup(World.CountyB).Get($"/terms/{term}/coverage?asOf=2023-12-31")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(200, Line(early, "village")["inspected"]!.GetValue<int>());
        // The second round revisits 20 villages: inspected twice in the term, counted once.
        var r2 = await World.RoundAsync(Host, term, "2023-04-01", "2023-05-31",
            townships.Take(12).Select(t => (t, "regular")).Concat(villages.Skip(180).Select(v => (v, "regular"))), World.CountyB);
        await World.LaunchAsync(Host, r2, World.CountyB);

        var coverage = (await Host.AsUser(World.City, "commission", PlatformRoles.CommissionCaseOfficer).Get($"/terms/{term}/coverage?asOf=2023-12-31")).Expect(HttpStatusCode.OK).Json;
        var units = coverage["units"]!;
        Assert.Equal(68, units["inspected"]!.GetValue<int>());
        Assert.Equal(73, units["total"]!.GetValue<int>());
        Assert.Equal(93.2m, units["rate"]!.GetValue<decimal>());
        var village = Line(coverage, "village");
        Assert.Equal(303, village["inspected"]!.GetValue<int>());
        Assert.Equal(100.0m, village["rate"]!.GetValue<decimal>());
        Assert.Equal(0, village["remaining"]!.GetValue<int>());

        // Outside the term's jurisdiction: another county's leading group sees nothing of it.
        (await Host.LeadingGroup(World.CountyA).Get($"/terms/{term}/coverage")).ExpectProblem(HttpStatusCode.NotFound);
        (await Host.AsUser(World.CountyB, "unit", PlatformRoles.UnitResponsible).Get($"/terms/{term}/coverage")).ExpectProblem(HttpStatusCode.Forbidden);
    }
}

/// <summary>The forecast's arithmetic, without I/O.</summary>
public sealed class ForecastTests
{
    private static readonly DateOnly Start = new(2022, 1, 1);
    private static readonly DateOnly End = new(2026, 12, 31);

    [Fact]
    public void At_the_pace_so_far_a_term_half_done_at_half_time_just_reaches_full_coverage()
    {
        var asOf = Start.AddDays((End.DayNumber - Start.DayNumber) / 2);
        var f = Forecast.Make(Start, End, asOf, total: 1000, inspected: 520, rounds: 4, roundTargets: 520);
        Assert.True(f.WillReachGoal);
        Assert.Equal(480, f.Remaining);
        Assert.Equal(4, f.RoundsNeededAtAverageSize);
        Assert.NotNull(f.ProjectedCompletionOn);
        Assert.True(f.ProjectedCompletionOn <= End);
    }

    [Fact]
    public void A_slow_term_is_told_how_many_rounds_of_what_size_it_still_needs()
    {
        // Shangluo's figure three and a half years into a five-year term: 896 of 1,303.
        var asOf = new DateOnly(2025, 6, 30);
        var f = Forecast.Make(Start, End, asOf, total: 1303, inspected: 896, rounds: 7, roundTargets: 896);
        Assert.False(f.WillReachGoal);
        Assert.Equal(407, f.Remaining);
        Assert.Equal(128, f.AverageRoundSize);
        Assert.Equal(4, f.RoundsNeededAtAverageSize);
        Assert.Equal(3, f.RoundsExpectedAtPace);
        Assert.Equal(136, f.RequiredRoundSize);
        Assert.Contains("无法实现全覆盖", f.Summary);
    }

    [Fact]
    public void With_no_round_yet_one_round_must_take_everything_and_no_date_is_promised()
    {
        var f = Forecast.Make(Start, End, Start.AddDays(30), total: 50, inspected: 0, rounds: 0, roundTargets: 0);
        Assert.False(f.WillReachGoal);
        Assert.Null(f.ProjectedCompletionOn);
        Assert.Equal(1, f.RoundsNeededAtAverageSize);
        Assert.Equal(50, f.RequiredRoundSize);
    }

    [Fact]
    public void A_covered_term_needs_nothing_more()
    {
        var f = Forecast.Make(Start, End, End, total: 303, inspected: 303, rounds: 10, roundTargets: 330);
        Assert.True(f.WillReachGoal);
        Assert.Equal(0, f.RoundsNeededAtAverageSize);
        Assert.Equal(0, f.RequiredRoundSize);
        Assert.Equal(100m, f.ProjectedRate);
    }
}
