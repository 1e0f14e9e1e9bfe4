using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Tests.Infrastructure;
using Xuncha.Contracts.Clues;

namespace Xuncha.Clues.Tests;

/// <summary>The commission's system: pull transfers after a cursor, push status idempotently by its own reference.</summary>
[Collection(Servers.Name)]
public sealed class CommissionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly CluesHost host = fixture.Host;

    private Task<int> Changes(Guid id) => host.WithDb(db => db.StatusChanges.CountAsync(c => c.ClueId == id));

    private async Task<int> OutcomeEvents(Guid id) => (await host.OutboxPayloads(nameof(ClueOutcomeRecorded), id)).Count;

    [Fact]
    public async Task The_same_push_twice_makes_one_change()
    {
        var id = await Api.TransferredAsync(host.ClueOfficer(), "沈某某");
        var commission = host.CaseOfficer();
        var before = await Changes(id);

        var first = await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report("示纪案〔2026〕101号", "received"))).Json(HttpStatusCode.OK);
        var again = await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report("示纪案〔2026〕101号", "received"))).Json(HttpStatusCode.OK);

        Assert.True(first.GetProperty("applied").GetBoolean());
        Assert.False(again.GetProperty("applied").GetBoolean());
        Assert.Equal(before + 1, await Changes(id));
        Assert.Equal(1, await OutcomeEvents(id));
        var clue = await (await commission.GetAsync($"/clues/{id}")).Json(HttpStatusCode.OK);
        Assert.Equal("示纪案〔2026〕101号", clue.GetProperty("commissionReference").GetString());
    }

    [Fact]
    public async Task Pushes_carry_the_handling_to_its_end_and_a_late_replay_is_harmless()
    {
        var id = await Api.TransferredAsync(host.ClueOfficer(), "韩某某");
        var commission = host.CaseOfficer();
        const string reference = "示纪案〔2026〕102号";
        foreach (var report in new[]
        {
            Api.Report(reference, "received"), Api.Report(reference, "preliminary-verification"),
            Api.Report(reference, "case-filed", filed: 2), Api.Report(reference, "closed", org: 1, filed: 2, sanctions: 2, judicial: 1, funds: 120000m),
        })
        {
            await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", report)).Json(HttpStatusCode.OK);
        }
        var replay = await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report(reference, "received"))).Json(HttpStatusCode.OK);
        Assert.False(replay.GetProperty("applied").GetBoolean());

        var clue = await (await commission.GetAsync($"/clues/{id}")).Json(HttpStatusCode.OK);
        Assert.Equal("closed", clue.GetProperty("status").GetString());
        Assert.Equal(2, clue.GetProperty("outcome").GetProperty("sanctions").GetInt32());
        Assert.Equal(1, clue.GetProperty("outcome").GetProperty("judicialTransfers").GetInt32());
        Assert.Equal(4, await OutcomeEvents(id));
    }

    [Fact]
    public async Task The_same_key_with_different_content_or_another_reference_is_a_conflict()
    {
        var id = await Api.TransferredAsync(host.ClueOfficer(), "杨某某");
        var commission = host.CaseOfficer();
        await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report("示纪案〔2026〕103号", "received"))).Json(HttpStatusCode.OK);
        await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report("示纪案〔2026〕103号", "received", org: 3))).Json(HttpStatusCode.Conflict);
        await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report("示纪案〔2026〕999号", "talk-and-inquiry"))).Json(HttpStatusCode.Conflict);
        var invalid = await (await commission.PostAsJsonAsync($"/commission/clues/{id}/reports", Api.Report("示纪案〔2026〕103号", "closed"))).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("clue.status.transition", invalid.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Reports_reach_only_clues_transferred_to_the_commission_of_the_jurisdiction()
    {
        var officer = host.ClueOfficer();
        var toOrganisation = await Api.TransferredAsync(officer, "朱某某", destination: "organisation-department");
        var toCommission = await Api.TransferredAsync(officer, "秦某某");
        var registered = await Api.RegisterAsync(officer, "尤某某");
        await (await host.CaseOfficer().PostAsJsonAsync($"/commission/clues/{toOrganisation}/reports", Api.Report("R-1", "received"))).Json(HttpStatusCode.NotFound);
        await (await host.CaseOfficer().PostAsJsonAsync($"/commission/clues/{registered}/reports", Api.Report("R-2", "received"))).Json(HttpStatusCode.NotFound);
        await (await host.CaseOfficer(CluesHost.OtherCounty).PostAsJsonAsync($"/commission/clues/{toCommission}/reports", Api.Report("R-3", "received"))).Json(HttpStatusCode.NotFound);
        await (await officer.PostAsJsonAsync($"/commission/clues/{toCommission}/reports", Api.Report("R-4", "received"))).Json(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_commission_pulls_new_transfers_after_its_cursor_and_each_pulled_clue_is_audited()
    {
        var commission = host.CaseOfficer();
        var start = (await (await commission.GetAsync("/commission/transfers?after=0&limit=200")).Json(HttpStatusCode.OK)).GetProperty("nextCursor").GetInt64();
        var officer = host.ClueOfficer();
        var a = await Api.TransferredAsync(officer, "许某甲");
        var b = await Api.TransferredAsync(officer, "许某乙");
        await Api.TransferredAsync(officer, "许某丙", destination: "organisation-department");

        var page = await (await commission.GetAsync($"/commission/transfers?after={start}&limit=1")).Json(HttpStatusCode.OK);
        var first = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(a, first.GetProperty("clueId").GetGuid());
        Assert.Equal("许某甲", first.GetProperty("involvedPersons")[0].GetString());
        Assert.Contains("巡移", first.GetProperty("letterNumber").GetString());

        var next = await (await commission.GetAsync($"/commission/transfers?after={page.GetProperty("nextCursor").GetInt64()}")).Json(HttpStatusCode.OK);
        Assert.Equal([b], next.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clueId").GetGuid()).ToList());
        Assert.Equal(1, await host.AuditCount("clue.pulled", a));

        var elsewhere = await (await host.CaseOfficer(CluesHost.OtherCounty).GetAsync($"/commission/transfers?after={start}")).Json(HttpStatusCode.OK);
        Assert.Equal(0, elsewhere.GetProperty("items").GetArrayLength());
        await (await officer.GetAsync("/commission/transfers")).Json(HttpStatusCode.Forbidden);
    }
}
