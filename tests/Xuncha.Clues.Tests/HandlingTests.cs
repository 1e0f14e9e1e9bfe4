using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Tests.Infrastructure;
using Xuncha.Contracts.Clues;

namespace Xuncha.Clues.Tests;

/// <summary>The handling ledger through the API: valid steps only (422 naming the rule), stale writes 409, outcomes announced.</summary>
[Collection(Servers.Name)]
public sealed class HandlingTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly CluesHost host = fixture.Host;

    private async Task<uint> Version(HttpClient client, Guid id) =>
        (await (await client.GetAsync($"/clues/{id}")).Json(HttpStatusCode.OK)).GetProperty("version").GetUInt32();

    [Fact]
    public async Task The_office_records_steps_in_order_and_a_skipped_step_is_422_naming_the_rule()
    {
        var officer = host.ClueOfficer();
        var id = await Api.TransferredAsync(officer, "陈某某");

        var skipped = await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = "case-filed", version = await Version(officer, id) }))
            .Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("clue.status.transition", skipped.GetProperty("rule").GetString());
        Assert.Contains("received", skipped.GetProperty("detail").GetString());

        foreach (var step in new[] { "received", "preliminary-verification", "case-filed" })
        {
            await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = step, version = await Version(officer, id), reason = "纪委函告" })).Json(HttpStatusCode.OK);
        }
        var closed = await (await officer.PostAsJsonAsync($"/clues/{id}/status", new
        {
            status = "closed", version = await Version(officer, id),
            outcome = new { organisationalHandlings = 1, casesFiled = 1, sanctions = 1, judicialTransfers = 0, fundsRecovered = 86000m },
        })).Json(HttpStatusCode.OK);
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal("办结", closed.GetProperty("statusLabel").GetString());
        Assert.Equal(5, closed.GetProperty("history").GetArrayLength());
        Assert.Equal(86000m, closed.GetProperty("outcome").GetProperty("fundsRecovered").GetDecimal());

        var final = await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = "received", version = await Version(officer, id) })).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("final state", final.GetProperty("detail").GetString());
        Assert.Equal(4, (await host.OutboxPayloads(nameof(ClueOutcomeRecorded), id)).Count);
    }

    [Fact]
    public async Task Sanctions_without_a_filed_case_are_refused()
    {
        var officer = host.ClueOfficer();
        var id = await Api.TransferredAsync(officer, "褚某某");
        await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = "received", version = await Version(officer, id) })).Json(HttpStatusCode.OK);
        await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = "talk-and-inquiry", version = await Version(officer, id) })).Json(HttpStatusCode.OK);
        var problem = await (await officer.PostAsJsonAsync($"/clues/{id}/status", new
        {
            status = "closed", version = await Version(officer, id),
            outcome = new { organisationalHandlings = 1, casesFiled = 0, sanctions = 1, judicialTransfers = 0, fundsRecovered = 0 },
        })).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("clue.outcome.requires-case-filed", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_stale_version_is_a_409_and_changes_nothing()
    {
        var officer = host.ClueOfficer();
        var id = await Api.TransferredAsync(officer, "卫某某");
        var stale = await Version(officer, id);
        await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = "received", version = stale })).Json(HttpStatusCode.OK);

        await (await officer.PostAsJsonAsync($"/clues/{id}/status", new { status = "talk-and-inquiry", version = stale })).Json(HttpStatusCode.Conflict);
        Assert.Equal("received", (await (await officer.GetAsync($"/clues/{id}")).Json(HttpStatusCode.OK)).GetProperty("status").GetString());

        var reclassify = await officer.PutAsJsonAsync($"/clues/{id}/classification", new { category = "work", sensitivity = "ordinary", version = stale });
        await reclassify.Json(HttpStatusCode.Conflict);
        var fresh = await officer.PutAsJsonAsync($"/clues/{id}/classification", new { category = "work", sensitivity = "ordinary", version = await Version(officer, id) });
        Assert.Equal("工作纪律", (await fresh.Json(HttpStatusCode.OK)).GetProperty("categoryLabel").GetString());
    }

    [Fact]
    public async Task A_group_leader_reads_but_cannot_record_steps()
    {
        var officer = host.ClueOfficer();
        var id = await Api.TransferredAsync(officer, "蒋某某");
        await (await host.As("group-leader").PostAsJsonAsync($"/clues/{id}/status", new { status = "received", version = 1 })).Json(HttpStatusCode.Forbidden);
        await (await host.CaseOfficer().PostAsJsonAsync($"/clues/{id}/status", new { status = "received", version = 1 })).Json(HttpStatusCode.Forbidden);
    }
}
