using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.Staffing.Rounds;
using Xuncha.Testing;

namespace Xuncha.Staffing.Tests.Infrastructure;

public static class RoundSetup
{
    /// <summary>Publishes the round as planning would and waits until staffing has stored it.</summary>
    public static async Task<Round> Launch(this StaffingHost host, Round round)
    {
        await host.Publish(TestData.Launched(round));
        await Eventually.Until(() => host.Count(db => db.Rounds.Where(r => r.Id == round.Id)), n => n == 1, TimeSpan.FromSeconds(20), "the round to arrive");
        return round;
    }

    public static async Task<JsonElement> Propose(this StaffingHost host, Guid roundId) =>
        await host.Client.Post($"/rounds/{roundId}/proposal", new { reason = "第一次建议" }).Expect(HttpStatusCode.OK);

    public static List<CheckedGroup> Checked(JsonElement groups) =>
        [.. groups.EnumerateArray().Select(g => new CheckedGroup(
            [.. g.GetProperty("targetIds").EnumerateArray().Select(t => t.GetGuid())],
            [.. g.GetProperty("members").EnumerateArray().Select(m => new CheckedSeat(
                m.GetProperty("cadreId").GetGuid(), m.GetProperty("role").GetString()!,
                m.TryGetProperty("mentorId", out var mentor) && mentor.ValueKind == JsonValueKind.String ? mentor.GetGuid() : null))]))];

    public static object Seats(JsonElement group, Func<JsonElement, bool>? keep = null, params (Guid CadreId, string Role)[] extra) =>
        (object[])[.. group.GetProperty("members").EnumerateArray().Where(m => keep?.Invoke(m) ?? true)
            .Select(m => (object)new { cadreId = m.GetProperty("cadreId").GetGuid(), role = m.GetProperty("role").GetString() }),
            .. extra.Select(e => (object)new { cadreId = e.CadreId, role = e.Role })];

    public static async Task<Dictionary<Guid, Cadres.Cadre>> Pool(this StaffingHost host) =>
        await host.WithDb(db => db.Cadres.AsNoTracking().ToDictionaryAsync(c => c.Id));
}
