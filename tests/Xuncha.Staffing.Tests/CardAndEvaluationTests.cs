using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.Fieldwork;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Tests.Infrastructure;
using Xuncha.Testing;
using static Xuncha.Staffing.Tests.Infrastructure.TestData;

namespace Xuncha.Staffing.Tests;

/// <summary>Responsibility cards and pledges for a confirmed group; evaluations fed by fieldwork.</summary>
[Collection(Servers.Name)]
public sealed class CardAndEvaluationTests(PlatformServers servers) : IAsyncLifetime
{
    private StaffingHost host = null!;
    private Xuncha.Staffing.Rounds.Round round = null!;
    private JsonElement group;
    private Guid groupId;
    private Guid financeMember;
    private Guid otherMember;

    public async Task InitializeAsync()
    {
        host = await StaffingHost.StartAsync(servers);
        await host.AddDemoCadres(450);
        round = await host.Launch(Round([Department("demo-city-shanyang-d02")]));
        var draft = (await host.Propose(round.Id)).GetProperty("groups")[0];
        groupId = draft.GetProperty("id").GetGuid();
        var seats = draft.GetProperty("members").EnumerateArray().ToList();
        financeMember = seats.First(s => s.GetProperty("post").GetString() == "finance").GetProperty("cadreId").GetGuid();
        otherMember = seats.First(s => s.GetProperty("cadreId").GetGuid() != financeMember).GetProperty("cadreId").GetGuid();
        await host.WithDb(async db =>
        {
            (await db.Cadres.SingleAsync(c => c.Id == financeMember)).AccountSubject = "member-finance";
            (await db.Cadres.SingleAsync(c => c.Id == otherMember)).AccountSubject = "member-other";
            return await db.SaveChangesAsync();
        });
        // Re-propose so the seats carry the accounts, then confirm.
        draft = (await host.Propose(round.Id)).GetProperty("groups")[0];
        group = await host.Client.Post($"/groups/{groupId}/confirm", new { version = draft.GetProperty("version").GetUInt32() }).Expect(HttpStatusCode.OK);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private HttpClient Member(string sub) => host.ClientFor([PlatformRoles.GroupMember], subject: sub);

    [Fact]
    public async Task A_member_sees_only_their_own_card_and_signs_their_own_pledge()
    {
        var me = Member("member-finance");
        var card = await me.GetAsync($"/groups/{groupId}/cards/{financeMember}").Expect(HttpStatusCode.OK);
        Assert.Equal("财务核查岗", card.GetProperty("postTitle").GetString());
        Assert.Contains("每笔5万元以上支出必查原始凭证", card.GetProperty("standards").EnumerateArray().Select(s => s.GetString()));
        await me.GetAsync($"/groups/{groupId}/cards/{otherMember}").Expect(HttpStatusCode.NotFound);
        await me.GetAsync($"/groups/{groupId}/cards").Expect(HttpStatusCode.Forbidden);
        var mine = await me.GetAsync("/my/cards").Expect(HttpStatusCode.OK);
        Assert.Equal(financeMember, Assert.Single(mine.EnumerateArray()).GetProperty("cadreId").GetGuid());

        // The office sees every card but cannot sign for the member.
        Assert.Equal(group.GetProperty("members").GetArrayLength(), (await host.Client.GetAsync($"/groups/{groupId}/cards").Expect(HttpStatusCode.OK)).GetArrayLength());
        await host.Client.Post($"/groups/{groupId}/cards/{financeMember}/pledge", new { accept = true }).Expect(HttpStatusCode.Forbidden);
        await Member("member-other").Post($"/groups/{groupId}/cards/{financeMember}/pledge", new { accept = true }).Expect(HttpStatusCode.NotFound);
        await me.Post($"/groups/{groupId}/cards/{financeMember}/pledge", new { accept = false }).Expect(HttpStatusCode.BadRequest);
        var signed = await me.Post($"/groups/{groupId}/cards/{financeMember}/pledge", new { accept = true }).Expect(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, signed.GetProperty("pledgedAt").ValueKind);
        Assert.Equal(1, await host.Count(db => db.Set<AuditEntry>().Where(a => a.Action == "pledge.signed" && a.Actor == "member-finance")));
    }

    [Fact]
    public async Task The_card_is_a_chinese_word_document()
    {
        var response = await Member("member-finance").GetAsync($"/groups/{groupId}/cards/{financeMember}/document");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        using var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.Contains("巡察责任卡", xml);
        Assert.Contains("追责情形", xml);
        Assert.Contains("每笔5万元以上支出必查原始凭证", xml);
        Assert.Contains("廉洁承诺", xml);
        Assert.Equal(HttpStatusCode.NotFound, (await Member("member-other").GetAsync($"/groups/{groupId}/cards/{financeMember}/document")).StatusCode);
    }

    [Fact]
    public async Task Fieldwork_feeds_evaluations_once_and_the_office_adds_the_discipline_record()
    {
        var before = await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Id == financeMember));
        var completed = new FieldworkCompleted
        {
            RoundId = round.Id, GroupId = groupId, TargetId = round.Targets[0].TargetId, Jurisdiction = "demo-city", ProblemsFound = 12,
            Contributions =
            [
                new MemberContribution { CadreId = financeMember, ProblemsFound = 9, WorkingPapersAccepted = 9, WorkingPapersReturned = 1 },
                new MemberContribution { CadreId = otherMember, ProblemsFound = 1, WorkingPapersAccepted = 1, WorkingPapersReturned = 3 },
                new MemberContribution { CadreId = Guid.NewGuid(), ProblemsFound = 50 },
            ],
            CompletedAt = DateTimeOffset.UtcNow,
        };
        var messageId = Guid.NewGuid();
        await host.Publish(completed, messageId);
        await host.Publish(completed, messageId);
        await Eventually.Until(() => host.Count(db => db.Evaluations), n => n == 2, TimeSpan.FromSeconds(20), "two evaluations");
        await Task.Delay(300);

        var evaluations = await host.Client.GetAsync($"/groups/{groupId}/evaluations").Expect(HttpStatusCode.OK);
        var finance = evaluations.EnumerateArray().Single(e => e.GetProperty("cadreId").GetGuid() == financeMember);
        Assert.Equal(9, finance.GetProperty("problemsFound").GetInt32());
        // min(9×4, 40)=36 + 30×0.9=27 + 30 = 93
        Assert.Equal(93, finance.GetProperty("score").GetDouble());
        var after = await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Id == financeMember));
        Assert.Equal(before.RoundsServed + 1, after.RoundsServed);

        var recorded = await host.Client.Put($"/groups/{groupId}/evaluations/{financeMember}", new { disciplineBreaches = 1, disciplineNotes = "接受宴请", version = finance.GetProperty("version").GetUInt32(), reason = "纪律检查" })
            .Expect(HttpStatusCode.OK);
        Assert.Equal("Unfit", recorded.GetProperty("recommendation").GetString());
        await host.Client.Put($"/groups/{groupId}/evaluations/{financeMember}", new { disciplineBreaches = 0, version = finance.GetProperty("version").GetUInt32(), reason = "x" }).Expect(HttpStatusCode.Conflict);
        await host.Client.Put($"/groups/{groupId}/evaluations/{Guid.NewGuid()}", new { disciplineBreaches = 0, reason = "x" }).Expect(HttpStatusCode.NotFound);
        await host.Client.Put($"/groups/{groupId}/evaluations/{financeMember}", new { disciplineBreaches = -1, leaderAssessment = 101 }).Expect(HttpStatusCode.BadRequest);

        await host.Client.Post($"/groups/{groupId}/two-way-evaluations", new { direction = "HostToGroup", score = 92, comments = "作风扎实" }).Expect(HttpStatusCode.OK);
        await host.Client.Post($"/groups/{groupId}/two-way-evaluations", new { direction = "GroupToHost", score = 80 }).Expect(HttpStatusCode.OK);
        await host.Client.Post($"/groups/{groupId}/two-way-evaluations", new { direction = "Sideways", score = 80 }).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(2, (await host.Client.GetAsync($"/groups/{groupId}/two-way-evaluations").Expect(HttpStatusCode.OK)).GetArrayLength());

        var org = host.ClientFor([PlatformRoles.OrganisationDepartment]);
        var recommendations = await org.GetAsync($"/rounds/{round.Id}/recommendations").Expect(HttpStatusCode.OK);
        Assert.Equal(2, recommendations.GetArrayLength());
        var history = await org.GetAsync($"/cadres/{financeMember}/history").Expect(HttpStatusCode.OK);
        Assert.Contains(history.GetProperty("services").EnumerateArray(), s => s.GetProperty("groupId").GetGuid() == groupId);
        Assert.Equal(1, history.GetProperty("evaluations").GetArrayLength());
    }
}
