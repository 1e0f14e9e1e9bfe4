using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Xuncha.EndToEnd.Tests.Faults;

/// <summary>
/// A stream of commands whose downstream effects are countable exactly through the gateway. Each command: the clue
/// officer registers a clue and the 会商研判 returns it as an ordinary problem — clues changes the clue's status and
/// writes <c>ClueReturnedAsProblem</c> to its outbox in one transaction; rectification consumes it and opens the case
/// of the clue's (round, unit). Every clue of a stream shares one round id and has a unit of its own, so each event
/// must leave exactly one case holding exactly one problem: fewer cases is a lost event, a second problem (or case) a
/// duplicated effect.
/// </summary>
public sealed class ClueStream(FaultPlatform platform, string name)
{
    private const string City = "demo-city";
    private readonly ConcurrentDictionary<string, bool> answered = new();   // unit name → the assessment answered 201
    private readonly ConcurrentQueue<string> refusals = new();
    private int sent;

    /// <summary>All clues of the stream carry this round id: both services are asked for exactly this stream's records.</summary>
    public Guid RoundId { get; } = Guid.NewGuid();
    public string Name => name;
    public int Accepted => answered.Count;
    public int Sent => sent;
    public IReadOnlyCollection<string> Refusals => refusals;
    /// <summary>Requests that took more than 5 s, with when they started: which phase of the fault they fell in.</summary>
    public ConcurrentQueue<(DateTime At, string Step, TimeSpan Took)> Slow { get; } = new();

    /// <summary>
    /// Sends a command about every 300 ms until <paramref name="stop"/> (at most <paramref name="max"/>): a steady
    /// stream, small enough to count, that spans each phase of the fault.
    /// </summary>
    public async Task RunAsync(HttpClient officer, CancellationToken stop, int max = 400)
    {
        for (var i = 1; i <= max && !stop.IsCancellationRequested; i++)
        {
            await SendAsync(officer, i);
            await Task.Delay(300, CancellationToken.None);
        }
    }

    /// <summary>Messages already parked in rectification's error queues: what this stream may not add to.</summary>
    public async Task<long> ParkedAsync()
    {
        using var admin = await platform.AsUserAsync("demo.platform-admin");
        return (await admin.GetFromJsonAsync<JsonElement[]>("/api/rectification/ops/error-queues"))!.Sum(q => q.GetProperty("messages").GetInt64());
    }

    /// <summary>Waits for accepted commands; on timeout the message shows the count and the latest refusal.</summary>
    public async Task WaitAcceptedAsync(int count, TimeSpan timeout) =>
        await Eventually.Until(() => Task.FromResult((Accepted, LastRefusal: refusals.LastOrDefault())), t => t.Accepted >= count, timeout,
            $"{count} accepted commands in stream {name}");

    private async Task<bool> SendAsync(HttpClient officer, int i)
    {
        Interlocked.Increment(ref sent);
        var unit = $"故障演练 {name} 第{i:D3}号单位";
        var county = $"{City}-shangzhou";
        var register = await TimedAsync("register", () => officer.PostAsJsonAsync("/api/clues/clues", new
        {
            roundId = RoundId,
            targetId = Guid.NewGuid(),
            targetName = unit,
            jurisdiction = City,
            jurisdictionPath = new[] { City, county, $"{county}-d{i % 7 + 1:D2}" },
            involvedPersons = new[] { "王某某" },
            category = "integrity",
            summary = $"反映{unit}负责人违规报销差旅费用，金额约{i}万元。",
            source = "petition",
        }));
        if (register is not { StatusCode: HttpStatusCode.Created }) return await RefusedAsync("register", register);
        var clueId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        register.Dispose();

        using var assess = await TimedAsync("assess", () => officer.PostAsJsonAsync("/api/clues/assessments", new
        {
            jurisdiction = City,
            heldOn = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)),
            title = $"问题线索会商研判（{name}-{i:D3}）",
            participants = new[] { "巡察办主任", "纪委监委案管室" },
            decisions = new[] { new { clueId, disposition = "return-as-problem", problem = $"{unit}差旅费报销审核不严，财务制度执行不到位。" } },
        }));
        if (assess is not { StatusCode: HttpStatusCode.Created }) return await RefusedAsync("assess", assess);
        answered[unit] = true;
        return true;
    }

    private async Task<HttpResponseMessage?> TimedAsync(string step, Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        var at = DateTime.UtcNow;
        try
        {
            return await send();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The outcome is unknown (the command may have committed): the producer's own records decide below.
            refusals.Enqueue($"no answer: {e.GetType().Name} {e.Message}");
            return null;
        }
        finally
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5)) Slow.Enqueue((at, step, clock.Elapsed));
        }
    }

    private async Task<bool> RefusedAsync(string step, HttpResponseMessage? response)
    {
        if (response is null) return false;
        using (response)
        {
            var type = response.Content.Headers.ContentType?.MediaType;
            refusals.Enqueue($"{step}: {(int)response.StatusCode} {type} {Clip(await response.Content.ReadAsStringAsync())}");
        }
        return false;
    }

    /// <summary>
    /// The producer's truth: the units whose clue clues has returned as a problem (committed with its event), read
    /// back rather than trusted from the answers, since a command without an answer may still have committed.
    /// </summary>
    public async Task<IReadOnlySet<string>> ReturnedAsync(HttpClient officer)
    {
        var units = new HashSet<string>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await officer.GetFromJsonAsync<JsonElement>($"/api/clues/clues?roundId={RoundId}&status=returned-as-problem&offset={offset}&limit=200");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            foreach (var item in items) Assert.True(units.Add(item.GetProperty("targetName").GetString()!), $"clues lists {item} twice");
            if (items.Count < 200) return units;
        }
    }

    /// <summary>The consumer's effects: this stream's cases in rectification, each with its problem count.</summary>
    public async Task<IReadOnlyList<(string Unit, int Problems)>> CasesAsync(HttpClient supervisor) =>
        [.. (await supervisor.GetFromJsonAsync<JsonElement[]>("/api/rectification/cases"))!
            .Where(c => c.GetProperty("roundId").GetGuid() == RoundId)
            .Select(c => (c.GetProperty("targetName").GetString()!, c.GetProperty("problems").GetInt32()))];

    /// <summary>
    /// Every command the producer committed has exactly one effect downstream (returns how many), within <paramref name="timeout"/>; and
    /// nothing was parked in rectification's error queues (a parked message is a lost effect).
    /// </summary>
    public async Task<int> AssertDeliveredExactlyOnceAsync(long parkedBefore, TimeSpan timeout)
    {
        using var officer = await platform.AsUserAsync("demo.clue-officer");
        using var supervisor = await platform.AsUserAsync("demo.rectification-supervisor");
        using var admin = await platform.AsUserAsync("demo.platform-admin");
        var returned = await ReturnedAsync(officer);
        var unanswered = answered.Keys.Where(u => !returned.Contains(u)).ToList();
        Assert.True(unanswered.Count == 0, $"{name}: clues answered 201 but does not hold these clues as returned: {string.Join(", ", unanswered)}");

        // A consumer just restarted may still be out of the gateway's rotation for a probe or two: wait for it too.
        var cases = await Eventually.Until(async () =>
            {
                try { return await CasesAsync(supervisor); }
                catch (HttpRequestException) { return []; }
            }, c => c.Count >= returned.Count, timeout, $"{returned.Count} cases of stream {name} in rectification");
        // Late duplicates would arrive right behind the originals: look once more after a pause.
        await Task.Delay(TimeSpan.FromSeconds(3));
        cases = await CasesAsync(supervisor);

        var missing = returned.Except(cases.Select(c => c.Unit)).ToList();
        var unexpected = cases.Select(c => c.Unit).Except(returned).ToList();
        var twice = cases.GroupBy(c => c.Unit).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var doubled = cases.Where(c => c.Problems != 1).Select(c => $"{c.Unit} ({c.Problems} problems)").ToList();
        Assert.True(missing.Count == 0, $"{name}: {missing.Count} of {returned.Count} events lost: {string.Join(", ", missing.Take(10))}");
        Assert.True(unexpected.Count == 0, $"{name}: cases nobody asked for: {string.Join(", ", unexpected)}");
        Assert.True(twice.Count == 0, $"{name}: duplicate cases: {string.Join(", ", twice)}");
        Assert.True(doubled.Count == 0, $"{name}: duplicated effects: {string.Join(", ", doubled)}");
        Assert.Equal(returned.Count, cases.Count);

        var queues = (await admin.GetFromJsonAsync<JsonElement[]>("/api/rectification/ops/error-queues"))!;
        Assert.True(queues.Sum(q => q.GetProperty("messages").GetInt64()) == parkedBefore,
            $"{name}: messages parked in rectification's error queues (before the stream: {parkedBefore}): {string.Join(", ", queues.Select(q => q.ToString()))}");
        return cases.Count;
    }

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
