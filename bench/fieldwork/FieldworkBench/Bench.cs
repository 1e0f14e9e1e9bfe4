using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;
using Xuncha.Testing;

namespace Xuncha.Bench.Fieldwork;

/// <summary>
/// Public intake (码上巡察) under load: many citizens (distinct client addresses, each under the per-address limit) submit
/// petitions through the gateway while one address floods. Figures: accepted submissions/s through the gateway and
/// straight to the service, against a bare INSERT of the same rows at the same concurrency (the database's ceiling);
/// none lost (rows counted and every receipt found); the flooding address held to its limit.
/// Args: repo root, seconds per phase, concurrency.
/// </summary>
public static class Bench
{
    private const int PerAddressLimit = 10;     // the service's Fieldwork:Intake:SubmissionsPerWindow (per 60 s)
    private const int PerAddressSent = 8;       // each simulated citizen stays under it
    private const double TargetPerSecond = 500;

    public static async Task<int> Main(string[] args)
    {
        var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
        var seconds = args.Length > 1 ? int.Parse(args[1]) : 15;
        var concurrency = args.Length > 2 ? int.Parse(args[2]) : 32;
        var servers = new PlatformServers();
        var processes = new List<Process>();
        try
        {
            await servers.InitializeAsync();
            var database = await servers.CreateDatabaseAsync("fwbench");
            var amqp = await servers.CreateVirtualHostAsync("fwbench");

            var servicePort = FreePort();
            processes.Add(Start(Path.Combine(root, "services/fieldwork/bin/Release/net10.0"), "Xuncha.Fieldwork.dll", new()
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{servicePort}",
                ["ConnectionStrings__fieldworkdb"] = database + ";Maximum Pool Size=64",
                ["ConnectionStrings__eventbus"] = amqp,
                ["Database__MigrateOnStart"] = "true",
                ["Fieldwork__ReporterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Fieldwork__Intake__SubmissionsPerWindow"] = PerAddressLimit.ToString(),
                ["Logging__LogLevel__Default"] = "Warning",
            }));
            var gatewayPort = FreePort();
            processes.Add(Start(Path.Combine(root, "gateway/Xuncha.Gateway/bin/Release/net10.0"), "Xuncha.Gateway.dll", new()
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{gatewayPort}",
                ["Identity__Url"] = "http://127.0.0.1:9",   // public routes never need a token
                ["services__fieldwork__http__0"] = $"http://127.0.0.1:{servicePort}",
                // The load generator stands in for the ingress: its X-Forwarded-For is believed, so each citizen has an address.
                ["ForwardedHeaders__KnownNetworks__0"] = "127.0.0.1/32",
                ["Logging__LogLevel__Default"] = "Warning",
            }));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            { Timeout = TimeSpan.FromSeconds(30) };
            await WaitHealthy(http, $"http://127.0.0.1:{servicePort}/health");
            await WaitHealthy(http, $"http://127.0.0.1:{gatewayPort}/health");

            var code = await SeedAsync(database);
            var gatewayUrl = $"http://127.0.0.1:{gatewayPort}/api/fieldwork/public/intake/{code}/petitions";
            var directUrl = $"http://127.0.0.1:{servicePort}/public/intake/{code}/petitions";
            var addresses = new AddressBook();

            Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} CPUs");
            Console.WriteLine($"phases of {seconds}s, {concurrency} concurrent citizens + 1 flooding address; per-address limit {PerAddressLimit}/60s");
            // Warm-up of both paths (tiered JIT, connection pools); its rows are counted with the rest.
            await Load(http, gatewayUrl, addresses, 10, concurrency, null);
            await Load(http, directUrl, addresses, 5, concurrency, null);
            var single = await Load(http, directUrl, addresses, 3, 1, null);
            Console.WriteLine($"one citizen at a time, straight to the service: p50 {single.P50:F1} ms, p99 {single.P99:F1} ms, {single.PerSecond:F0}/s");
            var baseline = await BareInsertAsync(database, seconds, concurrency);
            // CPU time each process spends per accepted submission: a figure the other tenants of a busy machine cannot skew.
            var cpu = new CpuMeter(processes[0], processes[1]);
            var gateway = await Load(http, gatewayUrl, addresses, seconds, concurrency, addresses.Next());
            var gatewayCpu = cpu.Lap(gateway.Accepted);
            var direct = await Load(http, directUrl, addresses, seconds, concurrency, addresses.Next());
            var directCpu = cpu.Lap(direct.Accepted);

            // None lost: every 201 is a row, and every row is a 201 (nothing stored twice).
            await using var conn = new NpgsqlConnection(database);
            await conn.OpenAsync();
            var receipts = new HashSet<string>();
            await using (var cmd = new NpgsqlCommand("SELECT receipt_code FROM petitions", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) receipts.Add(reader.GetString(0));
            }
            var accepted = addresses.Receipts.ToHashSet();
            var lost = accepted.Count(r => !receipts.Contains(r));
            var extra = receipts.Count - accepted.Count;

            Console.WriteLine();
            Console.WriteLine("target              | accepted/s | p50 ms | p99 ms | accepted | 429 | other | ratio vs bare insert");
            Console.WriteLine("--------------------+------------+--------+--------+----------+-----+-------+---------------------");
            Console.WriteLine($"bare INSERT (db)    | {baseline,10:F0} |      - |      - |        - |   - |     - | 1.00");
            Row("service direct", direct, baseline);
            Row("through gateway", gateway, baseline);
            Console.WriteLine();
            Console.WriteLine($"CPU per accepted submission — direct: service {directCpu.Service:F2} ms; through gateway: service {gatewayCpu.Service:F2} ms + gateway {gatewayCpu.Gateway:F2} ms");
            var ceiling = Environment.ProcessorCount * 1000 / (gatewayCpu.Service + gatewayCpu.Gateway);
            Console.WriteLine($"CPU-bound ceiling of service + gateway on {Environment.ProcessorCount} otherwise idle CPUs (PostgreSQL not counted): {ceiling:F0}/s");
            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine($"rows in petitions: {receipts.Count}; accepted receipts: {accepted.Count}; lost: {lost}; stored without a receipt: {extra}");
            foreach (var (name, phase) in new[] { ("direct", direct), ("gateway", gateway) })
            {
                Console.WriteLine($"flooding address ({name}): {phase.FloodAccepted} accepted, {phase.FloodLimited} refused with 429 (limit {PerAddressLimit} per 60 s)");
            }

            var ok = true;
            ok &= Check($"gateway intake ≥ {TargetPerSecond}/s", gateway.PerSecond >= TargetPerSecond, $"{gateway.PerSecond:F0}/s");
            ok &= Check("none lost, none stored twice", lost == 0 && extra == 0, $"lost {lost}, extra {extra}");
            ok &= Check("citizens under the limit never refused", gateway.Other == 0 && direct.Other == 0 && gateway.Limited == 0 && direct.Limited == 0,
                $"429 {gateway.Limited + direct.Limited}, other {gateway.Other + direct.Other}");
            ok &= Check("flooding address held to its limit", gateway.FloodAccepted <= PerAddressLimit && gateway.FloodLimited > 0 && direct.FloodAccepted <= PerAddressLimit,
                $"gateway {gateway.FloodAccepted} accepted / {gateway.FloodLimited} refused");
            return ok ? 0 : 1;
        }
        finally
        {
            foreach (var p in processes)
            {
                try { p.Kill(entireProcessTree: true); p.WaitForExit(5000); } catch (InvalidOperationException) { }
            }
            await servers.DisposeAsync();
        }
    }

    private static void Row(string name, Phase p, double baseline) =>
        Console.WriteLine($"{name,-19} | {p.PerSecond,10:F0} | {p.P50,6:F1} | {p.P99,6:F1} | {p.Accepted,8} | {p.Limited,3} | {p.Other,5} | {p.PerSecond / baseline:F2}");

    private static bool Check(string what, bool pass, string detail)
    {
        Console.WriteLine($"target: {what}: {(pass ? "PASS" : "FAIL")} ({detail})");
        return pass;
    }

    private sealed class CpuMeter(Process service, Process gateway)
    {
        private TimeSpan s = Now(service), g = Now(gateway);

        private static TimeSpan Now(Process p)
        {
            p.Refresh();
            return p.TotalProcessorTime;
        }

        public (double Service, double Gateway) Lap(int accepted)
        {
            var (s1, g1) = (Now(service), Now(gateway));
            var lap = ((s1 - s).TotalMilliseconds / Math.Max(1, accepted), (g1 - g).TotalMilliseconds / Math.Max(1, accepted));
            (s, g) = (s1, g1);
            return lap;
        }
    }

    private sealed record Phase(double PerSecond, double P50, double P99, int Accepted, int Limited, int Other, int FloodAccepted, int FloodLimited);

    /// <summary>Citizens' addresses (10.x.y.z), never reused across phases, and the receipts they were given.</summary>
    private sealed class AddressBook
    {
        private int next;
        private int content;
        public ConcurrentBag<string> Receipts { get; } = [];

        public string Next()
        {
            var n = Interlocked.Increment(ref next);
            return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
        }

        public object Petition() => new
        {
            category = "Report",
            subject = "反映村干部问题",
            content = $"第{Interlocked.Increment(ref content)}件：村集体资产出租未经村民代表会议讨论，租金去向不明，请巡察组核实。",
            anonymous = true,
        };
    }

    private static async Task<Phase> Load(HttpClient http, string url, AddressBook book, int seconds, int concurrency, string? flooder)
    {
        var latencies = new ConcurrentBag<double>();
        int accepted = 0, limited = 0, other = 0, floodAccepted = 0, floodLimited = 0;
        var stop = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);

        async Task<HttpStatusCode> Send(string address, bool timed = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(book.Petition()) };
            request.Headers.Add("X-Forwarded-For", address);
            var t = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            if (timed) latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var receipt = await response.Content.ReadFromJsonAsync<Receipt>();
                book.Receipts.Add(receipt!.ReceiptCode);
            }
            return response.StatusCode;
        }

        var citizens = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stop.Elapsed < until)
            {
                var address = book.Next();
                for (var i = 0; i < PerAddressSent && stop.Elapsed < until; i++)
                {
                    switch (await Send(address))
                    {
                        case HttpStatusCode.Created: Interlocked.Increment(ref accepted); break;
                        case HttpStatusCode.TooManyRequests: Interlocked.Increment(ref limited); break;
                        default: Interlocked.Increment(ref other); break;
                    }
                }
            }
        }).ToList();
        if (flooder is not null)
        {
            citizens.Add(Task.Run(async () =>
            {
                // A script hammering from one address at ~200 requests/s: 1,200 times its per-minute allowance.
                using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
                while (stop.Elapsed < until && await pace.WaitForNextTickAsync())
                {
                    var status = await Send(flooder, timed: false);
                    if (status == HttpStatusCode.Created) Interlocked.Increment(ref floodAccepted);
                    else if (status == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref floodLimited);
                }
            }));
        }
        await Task.WhenAll(citizens);
        var elapsed = stop.Elapsed.TotalSeconds;
        var sorted = latencies.OrderBy(x => x).ToArray();
        return new Phase(accepted / elapsed, Percentile(sorted, 0.5), Percentile(sorted, 0.99), accepted, limited, other, floodAccepted, floodLimited);
    }

    private sealed record Receipt(string ReceiptCode);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];

    /// <summary>The ceiling: the same rows inserted straight into PostgreSQL at the same concurrency, one statement each.</summary>
    private static async Task<double> BareInsertAsync(string database, int seconds, int concurrency)
    {
        await using var source = NpgsqlDataSource.Create(database + ";Maximum Pool Size=64");
        await using (var create = source.CreateCommand("CREATE TABLE bench_bare_insert (id uuid PRIMARY KEY, receipt text UNIQUE, content text, fingerprint text UNIQUE, at timestamptz)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var count = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                var n = Interlocked.Increment(ref count);
                await using var cmd = source.CreateCommand("INSERT INTO bench_bare_insert VALUES ($1, $2, $3, $4, now())");
                cmd.Parameters.AddWithValue(Guid.NewGuid());
                cmd.Parameters.AddWithValue($"R{n:D11}");
                cmd.Parameters.AddWithValue($"第{n}件：村集体资产出租未经村民代表会议讨论，租金去向不明，请巡察组核实。");
                cmd.Parameters.AddWithValue(Convert.ToHexString(SHA256.HashData(BitConverter.GetBytes(n))));
                await cmd.ExecuteNonQueryAsync();
            }
        }));
        return count / stop.Elapsed.TotalSeconds;
    }

    /// <summary>One workspace with an open announcement, written as the consumers would leave it.</summary>
    private static async Task<string> SeedAsync(string database)
    {
        const string code = "BENCHQRCDE23";
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        var group = Guid.NewGuid();
        var workspace = Guid.NewGuid();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO inspection_groups (id, round_id, jurisdiction, name, starts_on, ends_on, target_ids, members, roster_version, updated_at)
            VALUES (@group, gen_random_uuid(), 'demo-city-luonan', '洛南县委第一巡察组', '2026-01-01', '2030-12-31', ARRAY[gen_random_uuid()], '[]', 1, now());
            INSERT INTO workspaces (id, group_id, round_id, target_id, jurisdiction, directing_path, target_code, target_name, target_kind, target_path, starts_on, ends_on, opened_at)
            SELECT @workspace, id, round_id, target_ids[1], jurisdiction, ARRAY['demo-city','demo-city-luonan'], 'demo-city-luonan-t01-v01', '城关镇东村', 'village',
                   ARRAY['demo-city','demo-city-luonan','demo-city-luonan-t01','demo-city-luonan-t01-v01'], starts_on, ends_on, now() FROM inspection_groups WHERE id = @group;
            INSERT INTO announcements (id, workspace_id, intake_code, opens_on, closes_on, accepted_scope, hotline, mailbox, published_at, published_by)
            VALUES (gen_random_uuid(), @workspace, @code, '2026-01-01', '2030-12-31', '反映被巡察党组织领导班子及其成员的问题', '0914-1234567', 'xuncha@example.cn', now(), 'bench');
            """, conn);
        cmd.Parameters.AddWithValue("group", group);
        cmd.Parameters.AddWithValue("workspace", workspace);
        cmd.Parameters.AddWithValue("code", code);
        await cmd.ExecuteNonQueryAsync();
        return code;
    }

    private static Process Start(string directory, string dll, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet", dll) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env) info.Environment[k] = v;
        var p = Process.Start(info)!;
        var name = Path.GetFileNameWithoutExtension(dll);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null && e.Data.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task WaitHealthy(HttpClient http, string url)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var r = await http.GetAsync(url);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{url} did not become healthy");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
