using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Clues.Tests;

/// <summary>Malformed, missing, oversized and hostile input: always a ProblemDetails naming the field, never a 500 or a partial write.</summary>
[Collection(Servers.Name)]
public sealed class BadInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly CluesHost host = fixture.Host;

    private async Task<JsonElement> Send(HttpMethod method, string path, string body, HttpStatusCode expected, HttpClient? client = null)
    {
        var response = await (client ?? host.ClueOfficer()).SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Json(expected);
    }

    private static void Names(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)), $"{field} not named: {problem}");

    [Theory]
    [InlineData("{\"roundId\": ")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
    {
        var clues = await host.WithDb(db => db.Clues.CountAsync());
        await Send(HttpMethod.Post, "/clues", body, HttpStatusCode.BadRequest);
        Assert.Equal(clues, await host.WithDb(db => db.Clues.CountAsync()));
    }

    [Fact]
    public async Task Missing_fields_are_named()
    {
        var problem = await Send(HttpMethod.Post, "/clues", "{\"targetName\": \"x\"}", HttpStatusCode.BadRequest);
        foreach (var field in new[] { "roundId", "targetId", "jurisdiction", "involvedPersons", "category", "summary", "source" })
        {
            Names(problem, field);
        }
    }

    [Theory]
    [InlineData("category", "\"bribery\"")]
    [InlineData("category", "99")]
    [InlineData("source", "\"rumour\"")]
    [InlineData("roundId", "\"not-a-guid\"")]
    [InlineData("involvedPersons", "\"张三\"")]
    public async Task Wrong_values_are_named(string field, string value)
    {
        var body = JsonSerializer.SerializeToNode(Api.ClueBody())!.AsObject();
        body[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var problem = await Send(HttpMethod.Post, "/clues", body.ToJsonString(), HttpStatusCode.BadRequest);
        Names(problem, field);
    }

    [Fact]
    public async Task Rule_breaking_lists_are_named_by_item()
    {
        var body = JsonSerializer.SerializeToNode(Api.ClueBody())!.AsObject();
        body["involvedPersons"] = new System.Text.Json.Nodes.JsonArray("张某", "", new string('长', 300));
        body["jurisdictionPath"] = new System.Text.Json.Nodes.JsonArray("elsewhere");
        var problem = await Send(HttpMethod.Post, "/clues", body.ToJsonString(), HttpStatusCode.BadRequest);
        Names(problem, "involvedPersons[1]");
        Names(problem, "involvedPersons[2]");
        Names(problem, "jurisdictionPath");
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var body = JsonSerializer.Serialize(new { summary = new string('x', 2 * 1024 * 1024) });
        var problem = await Send(HttpMethod.Post, "/clues", body, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Hostile_text_is_stored_as_text_and_control_characters_in_references_are_refused()
    {
        var hostile = "'); DROP TABLE clues; -- <script>alert(1)</script>";
        var id = await Api.RegisterAsync(host.ClueOfficer(), hostile);
        var clue = await (await host.ClueOfficer().GetAsync($"/clues/{id}")).Json(HttpStatusCode.OK);
        Assert.Equal(hostile, clue.GetProperty("involvedPersons")[0].GetString());

        var transferred = await Api.TransferredAsync(host.ClueOfficer(), "柏某某");
        var problem = await Send(HttpMethod.Post, $"/commission/clues/{transferred}/reports",
            JsonSerializer.Serialize(Api.Report("示纪案\u0000\n101号", "received")), HttpStatusCode.BadRequest, host.CaseOfficer());
        Names(problem, "commissionReference");
        var negative = await Send(HttpMethod.Post, $"/commission/clues/{transferred}/reports",
            JsonSerializer.Serialize(Api.Report("R-9", "received", sanctions: -1)), HttpStatusCode.BadRequest, host.CaseOfficer());
        Names(negative, "sanctions");
    }

    [Fact]
    public async Task Meeting_decisions_missing_their_particulars_are_named_and_nothing_is_written()
    {
        var id = await Api.RegisterAsync(host.ClueOfficer(), "水某某");
        var outbox = await host.WithDb(db => db.Set<OutboxMessage>().CountAsync());
        var body = JsonSerializer.Serialize(Api.Meeting(
            new { clueId = id, disposition = "transfer" },
            new { clueId = Guid.NewGuid(), disposition = "hold" },
            new { clueId = Guid.NewGuid(), disposition = "return-as-problem" }));
        var problem = await Send(HttpMethod.Post, "/assessments", body, HttpStatusCode.BadRequest);
        Names(problem, "decisions[0].receivingOffice");
        Names(problem, "decisions[1].reason");
        Names(problem, "decisions[2].problem");
        Assert.Equal(outbox, await host.WithDb(db => db.Set<OutboxMessage>().CountAsync()));

        var unknown = await Send(HttpMethod.Post, "/assessments", JsonSerializer.Serialize(Api.Meeting(new { clueId = id, disposition = "shred" })), HttpStatusCode.BadRequest);
        Names(unknown, "decisions[0].disposition");
        var duplicate = await Send(HttpMethod.Post, "/assessments", JsonSerializer.Serialize(Api.Meeting(Api.Transfer(id), Api.Transfer(id))), HttpStatusCode.BadRequest);
        Names(duplicate, "decisions");
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_404_problems_and_bad_query_values_are_named()
    {
        var missing = await (await host.ClueOfficer().GetAsync($"/clues/{Guid.NewGuid()}")).Json(HttpStatusCode.NotFound);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await host.ClueOfficer().GetAsync("/clues/not-a-guid")).StatusCode);
        Names(await (await host.ClueOfficer().GetAsync("/clues?limit=100000")).Json(HttpStatusCode.BadRequest), "limit");
        Names(await (await host.ClueOfficer().GetAsync("/clues?status=lost")).Json(HttpStatusCode.BadRequest), "status");
        Names(await (await host.CaseOfficer().GetAsync("/commission/transfers?after=-5")).Json(HttpStatusCode.BadRequest), "after");
        await (await host.CaseOfficer().GetAsync("/commission/transfers?after=abc")).Json(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task No_token_is_401_and_a_token_for_another_service_is_refused()
    {
        var anonymous = host.As("clue-officer");
        anonymous.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/clues")).StatusCode);
        var wrongAudience = host.As("clue-officer");
        wrongAudience.DefaultRequestHeaders.Authorization = new("Bearer", Xuncha.Testing.TestTokens.Mint("xuncha.planning", roles: ["clue-officer"], jurisdiction: CluesHost.City));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongAudience.GetAsync("/clues")).StatusCode);
    }

    [Fact]
    public async Task Null_list_items_are_named_not_a_500()
    {
        var meeting = "{\"jurisdiction\":\"demo-city\",\"heldOn\":\"2026-11-20\",\"title\":\"会商\",\"participants\":[\"甲\",null],\"decisions\":[null]}";
        var problem = await Send(HttpMethod.Post, "/assessments", meeting, HttpStatusCode.BadRequest);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var quarter = await (await host.ClueOfficer().PostAsJsonAsync("/reconciliations", new { jurisdiction = CluesHost.City, year = 2031, quarter = 1 })).Json(HttpStatusCode.Created);
        var confirm = await Send(HttpMethod.Post, $"/reconciliations/{quarter.GetProperty("id").GetGuid()}/office-confirmations", "{\"items\":[null]}", HttpStatusCode.BadRequest);
        Names(confirm, "items[0]");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var anonymous = host.As("clue-officer");
        anonymous.DefaultRequestHeaders.Authorization = null;
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Json(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/clues/{id}", paths);
        Assert.Contains("/commission/clues/{id}/reports", paths);
        Assert.Contains("/reconciliations/{id}/close", paths);
    }
}
