using System.Collections.Concurrent;
using System.Diagnostics;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>What a campaign sent and what broke the rules.</summary>
public sealed record FuzzReport(int Sent, string Histogram, IReadOnlyList<string> Violations, IReadOnlyList<string> Summary);

/// <summary>
/// One fuzzing campaign against a gateway: the sign-in endpoints, a probe of every operation's role gate, then every
/// generated request, <see cref="InFlight"/> at a time, as the principals that pass the gate in rotation.
/// </summary>
public static class FuzzCampaign
{
    public const int InFlight = 8;

    /// <param name="tokens">A bearer token for every principal of <see cref="Principals"/> (null: none is sent).</param>
    public static async Task<FuzzReport> RunAsync(Uri gateway, IReadOnlyList<ApiOperation> catalog, IReadOnlyDictionary<string, string?> tokens, int seed)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = InFlight * 2, AllowAutoRedirect = false })
        {
            BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60),
        };
        var run = new FuzzRun(http, tokens);
        var clock = Stopwatch.StartNew();

        // Identity's rate-limited sign-in endpoints first, so their per-address window has passed when the next test signs in.
        await run.SendAllAsync([.. catalog.Where(InputGenerator.IsOAuth).SelectMany(OAuthInputs.For)]);

        // Which principals get past each operation's role gate: the most valid request it can make, as each candidate.
        var fuzzed = catalog.Where(op => !InputGenerator.IsOAuth(op)).ToList();
        var probed = await run.SendAllAsync([.. fuzzed.Where(op => !InputGenerator.IsAnonymous(op) && !InputGenerator.IsDisruptive(op))
            .SelectMany(op => new InputGenerator(op, seed ^ StableHash(op.Key)).Probes(Principals.Candidates))]);
        var passers = probed.GroupBy(r => r.Request.Operation.Key).ToDictionary(
            g => g.Key,
            g => g.Where(r => r.Status is not (401 or 403)).Select(r => r.Request.Principal!).ToList() is { Count: > 0 } passed ? passed : [.. Principals.Candidates]);

        // Everything else, each request as the next principal that passes (rotation), or as the fixed one it names.
        var requests = fuzzed.SelectMany(op =>
        {
            var candidates = InputGenerator.IsAnonymous(op) ? [Principals.Anonymous] : passers.GetValueOrDefault(op.Key, [.. Principals.Candidates]);
            return new InputGenerator(op, seed ^ StableHash(op.Key)).Generate()
                .Select(r => r.Principal is null ? r with { Principal = candidates[r.Slot % candidates.Count] } : r);
        }).ToList();
        await run.SendAllAsync(requests);
        clock.Stop();

        var histogram = string.Join(", ", run.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        var closed = probed.GroupBy(r => r.Request.Operation.Key).Where(g => g.All(r => r.Status is 401 or 403)).Select(g => g.Key).ToList();
        return new FuzzReport(run.Sent, histogram, [.. run.Violations.OrderBy(v => v, StringComparer.Ordinal)],
        [
            $"seed {seed}: {run.Sent} requests to {catalog.Count} operations in {clock.Elapsed.TotalSeconds:0.0} s ({run.Sent / clock.Elapsed.TotalSeconds:0} per s, {InFlight} in flight)",
            $"statuses: {histogram}; sent again after a transport error: {run.Resent}",
            $"role gates: {passers.Count(p => p.Value.Count < Principals.Candidates.Length)} of {passers.Count} operations refused some candidates; no candidate passed: {string.Join(", ", closed)}",
            $"writes that succeeded at least once: {string.Join(", ", run.Succeeded.OrderBy(k => k, StringComparer.Ordinal))}",
            $"throttled (429) at least once: {string.Join(", ", run.Throttled.OrderBy(k => k, StringComparer.Ordinal))}",
        ]);
    }

    /// <summary>FNV-1a: string.GetHashCode differs per process, and the seed must replay.</summary>
    private static int StableHash(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }

    private sealed class FuzzRun(HttpClient http, IReadOnlyDictionary<string, string?> tokens)
    {
        private int sent;
        private int resent;
        private readonly ConcurrentDictionary<string, byte> succeeded = new();
        private readonly ConcurrentDictionary<string, byte> throttled = new();

        public int Sent => sent;
        public int Resent => resent;
        public ConcurrentDictionary<int, int> Statuses { get; } = new();
        public ConcurrentBag<string> Violations { get; } = [];
        public IEnumerable<string> Succeeded => succeeded.Keys;
        public IEnumerable<string> Throttled => throttled.Keys;

        public async Task<IReadOnlyList<(FuzzRequest Request, int Status)>> SendAllAsync(IReadOnlyList<FuzzRequest> requests)
        {
            var results = new (FuzzRequest, int)[requests.Count];
            // Bounded: a hung platform fails the test instead of holding the suite.
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = deadline.Token },
                async (i, ct) => results[i] = (requests[i], await SendAsync(requests[i], ct)));
            return results;
        }

        private HttpRequestMessage Message(FuzzRequest request)
        {
            var principal = request.Principal!;
            var basic = principal.StartsWith("basic:", StringComparison.Ordinal);
            var message = request.ToMessage(basic ? null : tokens[principal]);
            if (basic) message.Headers.TryAddWithoutValidation("Authorization", "Basic " + principal["basic:".Length..]);
            return message;
        }

        /// <summary>
        /// A pooled keep-alive connection the server has just closed (after a 413 or a refused request line) can fail a
        /// send before any response; that one is sent again once on a new connection. A second failure is a violation.
        /// </summary>
        private async Task<HttpResponseMessage> SendOnceMoreOnTransportErrorAsync(FuzzRequest request, CancellationToken ct)
        {
            try
            {
                using var first = Message(request);
                return await http.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref resent);
                using var again = Message(request);
                return await http.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, ct);
            }
        }

        private async Task<int> SendAsync(FuzzRequest request, CancellationToken ct)
        {
            var principal = request.Principal!;
            Interlocked.Increment(ref sent);
            try
            {
                using var response = await SendOnceMoreOnTransportErrorAsync(request, ct);
                var status = (int)response.StatusCode;
                Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var body = status >= 400 ? await response.Content.ReadAsStringAsync(ct) : "";
                if (status is >= 200 and < 300 && request.Method != "GET") succeeded.TryAdd(request.Operation.Key, 0);
                if (status == 429) throttled.TryAdd(request.Operation.Key, 0);
                if (ResponseRules.Check(request, status, response.Content.Headers.ContentType, response.Headers, body) is { } broken)
                {
                    Violations.Add($"{request.Operation.Key} — {broken}: {status} {response.Content.Headers.ContentType?.MediaType} «{(body.Length > 300 ? body[..300] : body)}» ← {request.Describe(principal)}");
                }
                return status;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                Statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
                Violations.Add($"{request.Operation.Key} — no response: {e.GetType().Name} {e.Message} {e.InnerException?.Message} ← {request.Describe(principal)}");
                return 0;
            }
        }
    }
}
