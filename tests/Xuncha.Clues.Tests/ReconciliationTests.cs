using System.Net;
using System.Net.Http.Json;
using Xuncha.Clues.Tests.Infrastructure;

namespace Xuncha.Clues.Tests;

/// <summary>对账销号: a quarter closes only when both sides confirm the same status for every clue; history stays.</summary>
[Collection(Servers.Name)]
public sealed class ReconciliationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly CluesHost host = fixture.Host;

    [Fact]
    public async Task A_mismatch_blocks_closing_until_resolved()
    {
        var officer = host.ClueOfficer();
        var commission = host.CaseOfficer();
        var first = await Api.TransferredAsync(officer, "施某某");
        var second = await Api.TransferredAsync(officer, "张某乙");
        await (await commission.PostAsJsonAsync($"/commission/clues/{second}/reports", Api.Report("示纪案〔2026〕301号", "received"))).Json(HttpStatusCode.OK);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var quarterNumber = (today.Month - 1) / 3 + 1;

        var quarter = await (await officer.PostAsJsonAsync("/reconciliations", new { jurisdiction = CluesHost.City, year = today.Year, quarter = quarterNumber })).Json(HttpStatusCode.Created);
        var id = quarter.GetProperty("id").GetGuid();
        var lines = quarter.GetProperty("details").EnumerateArray().ToDictionary(l => l.GetProperty("clueId").GetGuid(), l => l.GetProperty("ledgerStatus").GetString());
        Assert.Equal("transferred", lines[first]);
        Assert.Equal("received", lines[second]);

        await (await officer.PostAsJsonAsync($"/reconciliations/{id}/office-confirmations", new { items = new[] { new { clueId = first, status = "transferred" }, new { clueId = second, status = "received" } } })).Json(HttpStatusCode.OK);
        // The commission's ledger says the first clue is already under preliminary verification: a mismatch.
        await (await commission.PostAsJsonAsync($"/reconciliations/{id}/commission-confirmations", new { items = new[] { new { clueId = first, status = "preliminary-verification" }, new { clueId = second, status = "received" } } })).Json(HttpStatusCode.OK);

        var mismatches = await (await commission.GetAsync($"/reconciliations/{id}/mismatches")).Json(HttpStatusCode.OK);
        var mismatch = Assert.Single(mismatches.EnumerateArray(), m => m.GetProperty("clueId").GetGuid() == first);
        Assert.Equal("preliminary-verification", mismatch.GetProperty("commissionStatus").GetString());
        var refused = await (await officer.PostAsync($"/reconciliations/{id}/close", null)).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("reconciliation.unmatched-lines", refused.GetProperty("rule").GetString());
        Assert.Contains(refused.GetProperty("unmatched").EnumerateArray(), u => u.GetGuid() == first);

        // Both sides settle on the commission's record; every line matches and the quarter closes.
        var all = (await (await officer.GetAsync($"/reconciliations/{id}")).Json(HttpStatusCode.OK)).GetProperty("details").EnumerateArray()
            .Select(l => new { clueId = l.GetProperty("clueId").GetGuid(), status = l.GetProperty("clueId").GetGuid() == first ? "preliminary-verification" : l.GetProperty("ledgerStatus").GetString() })
            .ToArray();
        await (await officer.PostAsJsonAsync($"/reconciliations/{id}/office-confirmations", new { items = all })).Json(HttpStatusCode.OK);
        await (await commission.PostAsJsonAsync($"/reconciliations/{id}/commission-confirmations", new { items = all })).Json(HttpStatusCode.OK);
        var closed = await (await officer.PostAsync($"/reconciliations/{id}/close", null)).Json(HttpStatusCode.OK);
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.Equal(0, closed.GetProperty("unmatched").GetInt32());

        var late = await (await commission.PostAsJsonAsync($"/reconciliations/{id}/commission-confirmations", new { items = new[] { new { clueId = first, status = "case-filed" } } })).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("reconciliation.closed", late.GetProperty("rule").GetString());
        var history = await (await commission.GetAsync("/reconciliations")).Json(HttpStatusCode.OK);
        Assert.Contains(history.EnumerateArray(), q => q.GetProperty("id").GetGuid() == id && q.GetProperty("state").GetString() == "closed");
        await (await officer.PostAsJsonAsync("/reconciliations", new { jurisdiction = CluesHost.City, year = today.Year, quarter = quarterNumber })).Json(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Other_jurisdictions_do_not_see_the_quarter_and_unknown_clues_are_named()
    {
        var officer = host.ClueOfficer();
        await Api.TransferredAsync(officer, "孔某某");
        var quarter = await (await officer.PostAsJsonAsync("/reconciliations", new { jurisdiction = CluesHost.City, year = 2030, quarter = 4 })).Json(HttpStatusCode.Created);
        var id = quarter.GetProperty("id").GetGuid();
        await (await host.CaseOfficer(CluesHost.OtherCounty).GetAsync($"/reconciliations/{id}")).Json(HttpStatusCode.NotFound);
        var bad = await (await officer.PostAsJsonAsync($"/reconciliations/{id}/office-confirmations", new { items = new[] { new { clueId = Guid.NewGuid(), status = "received" } } })).Json(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("items[0].clueId", out _));
        await (await host.ClueOfficer(CluesHost.County).PostAsJsonAsync("/reconciliations", new { jurisdiction = CluesHost.City, year = 2030, quarter = 3 })).Json(HttpStatusCode.Forbidden);
    }
}
