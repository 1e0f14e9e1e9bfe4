using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xuncha.Foundation.TestHost.Notes;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;

namespace Xuncha.Bench.EventLatency;

/// <summary>
/// Latency from "producer decided" (StartedAt) to "consumer's effect written" (EffectAt) for an event sent through the
/// transactional outbox and for the same event published straight to the bus. Target: outbox p50 ≤ raw p50 + 5 ms.
/// </summary>
public static class Bench
{
    private const int Warmup = 100;
    private const int Block = 100;
    private const double TargetMs = 5;

    public static async Task<int> Main(string[] args)
    {
        var events = 2000;
        var i = Array.IndexOf(args, "--events");
        if (i >= 0 && (i + 1 >= args.Length || !int.TryParse(args[i + 1], out events) || events < 1))
        {
            Console.Error.WriteLine("usage: event-latency.sh [--events N]   (N >= 1, default 2000)");
            return 2;
        }

        // WebApplicationFactory finds the test host's content root through MvcTestingAppManifest.json in the current
        // directory; `dotnet run` leaves us in the repo root.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var servers = new PlatformServers();
        ServiceFactory<Program>? factory = null;
        try
        {
            await servers.InitializeAsync();
            var database = await servers.CreateDatabaseAsync("bench");
            factory = new ServiceFactory<Program>(new Dictionary<string, string?>
            {
                ["ConnectionStrings:testhostdb"] = database,
                ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("bench"),
                ["Database:MigrateOnStart"] = "true",
                // Slow polling: the relay must be woken by the commit signal for the outbox path to be fast.
                ["Outbox:PollMilliseconds"] = "1000",
                // Console logging of every SQL command would dominate the measurement.
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer", TestTokens.Mint(JwtAuthentication.AudienceFor("testhost"), roles: ["bench"]));
            await client.WaitHealthyAsync();

            var bus = factory.Services.GetRequiredService<IBus>();
            await using var effects = new EffectReader(database);
            await effects.OpenAsync();

            async Task<Guid> SendOutbox()
            {
                var response = await client.PostAsJsonAsync("/notes", new { title = "bench", amount = 1 });
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<Note>())!.Id;
            }
            async Task<Guid> SendRaw()
            {
                var id = Guid.NewGuid();
                await bus.Publish(new NoteRecorded { NoteId = id, Title = "bench", StartedAt = DateTimeOffset.UtcNow });
                return id;
            }
            async Task RunBlock(Func<Task<Guid>> send, int count, List<double>? into)
            {
                for (var n = 0; n < count; n++)
                {
                    var latency = await effects.WaitForAsync(await send());
                    into?.Add(latency);
                }
            }

            await RunBlock(SendOutbox, Warmup, null);
            await RunBlock(SendRaw, Warmup, null);
            var outbox = new List<double>(events);
            var raw = new List<double>(events);
            // Interleaved blocks, so machine noise (GC, autovacuum, neighbours) falls on both paths alike.
            for (var done = 0; done < events; done += Block)
            {
                var count = Math.Min(Block, events - done);
                await RunBlock(SendOutbox, count, outbox);
                await RunBlock(SendRaw, count, raw);
            }

            return Report(outbox, raw) ? 0 : 1;
        }
        finally
        {
            if (factory is not null) await factory.DisposeAsync();
            await servers.DisposeAsync();
        }
    }

    private static bool Report(List<double> outbox, List<double> raw)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        Console.WriteLine();
        Console.WriteLine($"event latency, StartedAt -> consumer effect row (EffectAt); {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs (nproc), {cpu}; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine();
        Console.WriteLine($"{"path",-8} | {"events",6} | {"p50 ms",7} | {"p90 ms",7} | {"p99 ms",7} | {"max ms",7}");
        Console.WriteLine(new string('-', 8) + "-+-" + new string('-', 6) + string.Concat(Enumerable.Repeat("-+-" + new string('-', 7), 4)));
        Row("outbox", outbox);
        Row("raw", raw);
        Console.WriteLine();
        var diff = Percentile(outbox, 50) - Percentile(raw, 50);
        var pass = diff <= TargetMs;
        Console.WriteLine(F($"p50 difference (outbox - raw): {diff:0.00} ms"));
        Console.WriteLine($"target: outbox p50 <= raw p50 + {TargetMs:0} ms: {(pass ? "PASS" : "FAIL")}");
        return pass;

        static void Row(string path, List<double> ms) =>
            Console.WriteLine(F($"{path,-8} | {ms.Count,6} | {Percentile(ms, 50),7:0.00} | {Percentile(ms, 90),7:0.00} | {Percentile(ms, 99),7:0.00} | {ms.Max(),7:0.00}"));
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Waits for each effect row in turn on one connection with a prepared primary-key query, so polling stays cheap.</summary>
    private sealed class EffectReader(string connectionString) : IAsyncDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        private readonly NpgsqlConnection connection = new(connectionString);
        private NpgsqlCommand? query;
        private long lastId;

        public async Task OpenAsync()
        {
            await connection.OpenAsync();
            query = new NpgsqlCommand("""SELECT "Id", "NoteId", "StartedAt", "EffectAt" FROM note_effects WHERE "Id" > $1 ORDER BY "Id" LIMIT 1""", connection);
            query.Parameters.Add(new NpgsqlParameter<long>());
            await query.PrepareAsync();
        }

        /// <summary>Returns EffectAt − StartedAt in ms of the next effect row, which must be <paramref name="noteId"/>'s.</summary>
        public async Task<double> WaitForAsync(Guid noteId)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (true)
            {
                ((NpgsqlParameter<long>)query!.Parameters[0]).TypedValue = lastId;
                await using (var reader = await query.ExecuteReaderAsync())
                {
                    if (await reader.ReadAsync())
                    {
                        lastId = reader.GetInt64(0);
                        var found = reader.GetGuid(1);
                        if (found != noteId) throw new InvalidOperationException($"expected the effect of note {noteId}, found {found}: events overlap");
                        return (reader.GetFieldValue<DateTimeOffset>(3) - reader.GetFieldValue<DateTimeOffset>(2)).TotalMilliseconds;
                    }
                }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"no effect for note {noteId} within {Timeout.TotalSeconds:0} s");
                await Task.Delay(1);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (query is not null) await query.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
