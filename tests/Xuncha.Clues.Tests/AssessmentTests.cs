using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Tests.Infrastructure;
using Xuncha.Contracts.Clues;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Clues.Tests;

/// <summary>会商研判 and 移交: decisions per clue, numbered letters, the Word letter, and what the unit may learn.</summary>
[Collection(Servers.Name)]
public sealed class AssessmentTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly CluesHost host = fixture.Host;

    [Fact]
    public async Task A_meeting_transfers_returns_and_holds_with_one_letter_per_transfer()
    {
        var officer = host.ClueOfficer();
        var transfer = await Api.RegisterAsync(officer, "赵某甲");
        var giveBack = await Api.RegisterAsync(officer, "赵某乙");
        var hold = await Api.RegisterAsync(officer, "赵某丙");

        var meeting = await (await officer.PostAsJsonAsync("/assessments", Api.Meeting(
            Api.Transfer(transfer),
            new { clueId = giveBack, disposition = "return-as-problem", problem = "村集体资产租赁未履行“三议两公开”程序" },
            new { clueId = hold, disposition = "hold", reason = "反映内容笼统，需进一步核实" }))).Json(HttpStatusCode.Created);

        var decisions = meeting.GetProperty("decisions").EnumerateArray().ToList();
        var number = decisions[0].GetProperty("letterNumber").GetString()!;
        Assert.Matches(@"^示市巡移〔\d{4}〕\d+号$", number);
        Assert.Equal(JsonValueKind.Null, decisions[1].GetProperty("letterNumber").ValueKind);

        var clue = await (await officer.GetAsync($"/clues/{transfer}")).Json(HttpStatusCode.OK);
        Assert.Equal("transferred", clue.GetProperty("status").GetString());
        Assert.True(clue.GetProperty("feedbackDueOn").GetString() is { Length: 10 });
        Assert.Equal("held", (await (await officer.GetAsync($"/clues/{hold}")).Json(HttpStatusCode.OK)).GetProperty("status").GetString());

        var saved = await (await officer.GetAsync($"/assessments/{meeting.GetProperty("id").GetGuid()}")).Json(HttpStatusCode.OK);
        Assert.Equal(2, saved.GetProperty("participants").GetArrayLength());
        Assert.Equal(number, saved.GetProperty("decisions")[0].GetProperty("letterNumber").GetString());

        // The events leave through the outbox; the returned problem carries no person and no reporter.
        var outbox = await host.WithDb(db => db.Set<OutboxMessage>().AsNoTracking().ToListAsync());
        Assert.Contains(outbox, m => m.MessageType.Contains(nameof(ClueTransferred)) && m.Payload.Contains(transfer.ToString()) && m.Payload.Contains(number));
        var returned = Assert.Single(outbox, m => m.MessageType.Contains(nameof(ClueReturnedAsProblem)) && m.Payload.Contains(giveBack.ToString()));
        Assert.DoesNotContain("赵某乙", returned.Payload);
        Assert.Contains("三议两公开", JsonDocument.Parse(returned.Payload).RootElement.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task A_returned_problem_that_names_a_person_is_refused_and_nothing_is_written()
    {
        var officer = host.ClueOfficer();
        var ok = await Api.RegisterAsync(officer, "钱某甲");
        var named = await Api.RegisterAsync(officer, "钱某乙");
        var lettersBefore = await host.WithDb(db => db.Letters.CountAsync());

        var problem = await (await officer.PostAsJsonAsync("/assessments", Api.Meeting(
            Api.Transfer(ok),
            new { clueId = named, disposition = "return-as-problem", problem = "钱某乙违规发放补贴" }))).Json(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("clue.return.names-person", problem.GetProperty("rule").GetString());
        Assert.Contains("decisions[1]", problem.GetProperty("detail").GetString());
        Assert.Equal(lettersBefore, await host.WithDb(db => db.Letters.CountAsync()));
        Assert.Equal("registered", (await (await officer.GetAsync($"/clues/{ok}")).Json(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_clue_cannot_be_transferred_twice()
    {
        var officer = host.ClueOfficer();
        var id = await Api.TransferredAsync(officer, "孙某某");
        var problem = await (await officer.PostAsJsonAsync("/assessments", Api.Meeting(Api.Transfer(id)))).Json(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("clue.status.transition", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Concurrent_transfers_get_distinct_consecutive_numbers()
    {
        var officer = host.ClueOfficer();
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++) ids.Add(await Api.RegisterAsync(officer, $"周某{i}"));

        var responses = await Task.WhenAll(ids.Select(id => host.ClueOfficer().PostAsJsonAsync("/assessments", Api.Meeting(Api.Transfer(id)))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var letters = await host.WithDb(db => db.Letters.Where(l => ids.Contains(l.ClueId)).ToListAsync());
        var sequences = letters.Select(l => l.Sequence).Order().ToList();
        Assert.Equal(8, sequences.Distinct().Count());
        Assert.Equal(sequences[0] + 7, sequences[^1]);
        Assert.Equal(8, letters.Select(l => l.FeedPosition).Distinct().Count());
    }

    [Fact]
    public async Task The_transfer_letter_is_a_chinese_word_document_and_fetching_it_is_an_audited_read()
    {
        var officer = host.ClueOfficer();
        var id = await Api.TransferredAsync(officer, "吴某某");
        var number = await host.WithDb(db => db.Letters.Where(l => l.ClueId == id).Select(l => l.Number).SingleAsync());

        var response = await officer.GetAsync($"/clues/{id}/transfer-letter");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = WordprocessingDocument.Open(stream, false);
        var text = document.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("问题线索移交函", text);
        Assert.Contains(number, text);
        Assert.Contains("示范市纪委监委案件监督管理室", text);
        Assert.Contains("吴某某", text);
        Assert.Contains("谈话摘录", text);
        Assert.Contains("中共示范市委巡察工作领导小组办公室", text);
        Assert.Equal(1, await host.AuditCount("clue.letter-read", id));

        var registeredOnly = await Api.RegisterAsync(officer, "郑某某");
        await (await officer.GetAsync($"/clues/{registeredOnly}/transfer-letter")).Json(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_office_of_the_jurisdiction_records_its_meetings()
    {
        var id = await Api.RegisterAsync(host.ClueOfficer(), "冯某某");
        await (await host.ClueOfficer(CluesHost.County).PostAsJsonAsync("/assessments", Api.Meeting(Api.Transfer(id)))).Json(HttpStatusCode.Forbidden);
        await (await host.CaseOfficer().PostAsJsonAsync("/assessments", Api.Meeting(Api.Transfer(id)))).Json(HttpStatusCode.Forbidden);
    }
}
