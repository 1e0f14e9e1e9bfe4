using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Xuncha.Testing;
using Xuncha.Testing.Oidc;

namespace Xuncha.Bench.FullPath;

/// <summary>
/// The whole platform as the apphost runs it. The command: the audit bureau shares an audit finding with the inspection
/// group (POST through the gateway: token checked twice, audit linkage writes the problem, its audit entry and the
/// AuditFindingShared event in one transaction; the outbox relay publishes; fieldwork consumes it through its inbox and
/// writes a suggested problem). Throughput counts a command only once its effect exists in fieldwork: accepted commands ÷
/// (load time + the time until the last event was consumed). Baseline in the same run: pgbench (TPC-B-like, 5 statements
/// per transaction) on the same PostgreSQL cluster at the same concurrency. Then: no event lost, none applied twice.
/// Args: seconds, concurrency.
/// </summary>
public static class Bench
{
    private const double Target = 0.5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> Main(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0]) : 20;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
        Console.WriteLine($"starting the platform (apphost, demo data) …");
        await using var run = await AppHostRun.StartAsync(new Dictionary<string, string>
        {
            // The benchmark is one client sending thousands of requests a minute: the per-client window is not what it measures.
            ["Gateway__RateLimits__PerClient__PermitLimit"] = "100000000",
            ["Gateway__RateLimits__PerAddress__PermitLimit"] = "100000000",
        });
        await run.WaitUpAsync(TimeSpan.FromMinutes(5));
        var postgres = (await run.ResourceAsync("postgres")).GetProperty("url").GetString()!;
        var pgPort = new Uri(postgres).Port;

        var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Data, "dev-credentials.json"))).RootElement;
        var office = await SignInAsync(run, credentials, "demo.office-coordinator");
        var leadingGroup = await SignInAsync(run, credentials, "demo.leading-group");
        var auditOfficer = await SignInAsync(run, credentials, "demo.audit-officer");

        var (roundId, targetId) = await LaunchRoundWithAGroupAsync(office, leadingGroup);
        var path = $"/api/audit/rounds/{roundId}/targets/{targetId}/problems/audit-findings";
        // The first share succeeds once audit linkage has both RoundLaunched and GroupFormed.
        var first = await Until(async () => (await auditOfficer.PostAsJsonAsync(path, Finding(0), Json)).StatusCode, s => s == HttpStatusCode.Created,
            TimeSpan.FromSeconds(60), "audit linkage to know the round's group");

        Console.WriteLine($"pgbench: initialising scale 10 on the platform's PostgreSQL (port {pgPort}) …");
        var pgbench = await PgbenchAsync(pgPort, seconds, concurrency);

        Console.WriteLine($"full path: {concurrency} concurrent audit officers' sessions for {seconds} s …");
        // Warm-up, counted among the events below: 3 s left the JIT still tiering up EF Core, Npgsql and ASP.NET
        // code during the measurement (a fifth of audit linkage's CPU in a perf profile was the JIT's own threads).
        await Load(auditOfficer, path, 15, concurrency);
        var fieldworkDb = $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=fieldworkdb";
        var postgresAdmin = $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=postgres";
        var txBefore = await TransactionsAsync(postgresAdmin);
        var cpuBefore = await CpuByResourceAsync(run);
        var clock = Stopwatch.StartNew();
        var (accepted, refused, statuses) = await Load(auditOfficer, path, seconds, concurrency);
        var cpuAfter = await CpuByResourceAsync(run);
        var txAfter = await TransactionsAsync(postgresAdmin);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var expected = await CountAsync($"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=auditdb",
            $"SELECT count(*) FROM shared_problems WHERE round_id = '{roundId}' AND origin = 'AuditFinding'");
        var drained = await Until(() => CountAsync(fieldworkDb, $"SELECT count(*) FROM suggested_problems WHERE round_id = '{roundId}'"),
            n => n >= expected, TimeSpan.FromMinutes(3), "fieldwork to consume every AuditFindingShared", throwOnTimeout: false);
        var endToEnd = clock.Elapsed.TotalSeconds;
        await Task.Delay(2000);  // anything applied twice would show by now
        var (rows, distinct) = await PairAsync(fieldworkDb, $"SELECT count(*), count(DISTINCT source_id) FROM suggested_problems WHERE round_id = '{roundId}'");

        var accepedPerSecond = accepted / loadSeconds;
        var fullPath = accepted / endToEnd;
        var ratio = fullPath / pgbench;
        Console.WriteLine();
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs shared by load generator, gateway, identity, six services, PostgreSQL and RabbitMQ");
        Console.WriteLine("subject                                   |   per second | ratio vs pgbench");
        Console.WriteLine("------------------------------------------+--------------+-----------------");
        Console.WriteLine($"pgbench TPC-B (c={concurrency}, prepared)           | {pgbench,12:0} | 1.00");
        Console.WriteLine($"commands accepted (201) through gateway   | {accepedPerSecond,12:0} | {accepedPerSecond / pgbench:0.00}");
        Console.WriteLine($"full path (accepted ÷ time to consumed)   | {fullPath,12:0} | {ratio:0.00}");
        Console.WriteLine();
        Console.WriteLine($"accepted {accepted} in {loadSeconds:0.0} s; refused {refused} ({string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}); " +
            $"last event consumed {endToEnd - loadSeconds:0.0} s after the load stopped");
        Console.WriteLine($"shared in audit linkage: {expected}; suggested problems in fieldwork: {rows} ({distinct} distinct findings)");
        // Where the CPU went during the load, per command: the processes of the platform share the two cores.
        Console.WriteLine("CPU per accepted command: " + string.Join(", ", cpuAfter
            .Select(r => (r.Key, Ms: (r.Value - cpuBefore.GetValueOrDefault(r.Key)) * 1000.0 / TicksPerSecond / Math.Max(1, accepted)))
            .Where(r => r.Ms >= 0.05).OrderByDescending(r => r.Ms).Select(r => $"{r.Key} {r.Ms:0.00} ms")));
        // How many transactions each database committed per command: the command's own, the relay's and the consumer's.
        Console.WriteLine("PostgreSQL transactions per accepted command: " + string.Join(", ", txAfter
            .Select(d => (d.Key, Per: (d.Value - txBefore.GetValueOrDefault(d.Key)) / (double)Math.Max(1, accepted)))
            .Where(d => d.Per >= 0.05).OrderByDescending(d => d.Per).Select(d => $"{d.Key} {d.Per:0.00}")));
        var lost = expected - distinct;
        var twice = rows - distinct;
        Console.WriteLine($"target: full path ≥ {Target}× pgbench TPS: {(ratio >= Target ? "PASS" : "FAIL")} ({ratio:0.00}: {fullPath:0}/s vs {pgbench:0}/s)");
        Console.WriteLine($"target: no event lost, none applied twice: {(drained >= expected && lost == 0 && twice == 0 && refused == 0 ? "PASS" : "FAIL")} (lost {lost}, twice {twice}, refused {refused})");
        return ratio >= Target && lost == 0 && twice == 0 && refused == 0 ? 0 : 1;
    }

    private const double TicksPerSecond = 100;   // USER_HZ on Linux

    private static async Task<Dictionary<string, long>> TransactionsAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        // The statistics are a snapshot per transaction: clear it so this read sees the current counts.
        await new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", conn).ExecuteNonQueryAsync();
        await using var reader = await new NpgsqlCommand("SELECT datname, xact_commit + xact_rollback FROM pg_stat_database WHERE datname IS NOT NULL", conn).ExecuteReaderAsync();
        var result = new Dictionary<string, long>();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }

    /// <summary>User + system CPU ticks of each resource's process tree (a server's workers are its descendants).</summary>
    private static async Task<Dictionary<string, long>> CpuByResourceAsync(AppHostRun run)
    {
        var result = new Dictionary<string, long>();
        var processes = Xuncha.Launcher.Model.ProcessMemory.Snapshot();
        foreach (var r in await run.ResourcesAsync())
        {
            if (!r.TryGetProperty("pid", out var pid) || pid.ValueKind != JsonValueKind.Number) continue;
            var name = r.GetProperty("name").GetString()!;
            result[name] = result.GetValueOrDefault(name) + new[] { pid.GetInt32() }.Concat(processes.Descendants(pid.GetInt32())).Sum(Ticks);
        }
        return result;

        static long Ticks(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return long.Parse(fields[11]) + long.Parse(fields[12]);   // utime, stime (fields 14 and 15 of the whole line)
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    private static object Finding(int n) => new
    {
        title = $"专项资金未按规定拨付（审计发现 {n}）",
        facts = "经审计，该单位2024年度专项资金结余未按规定及时拨付至项目单位，形成资金沉淀。",
        amount = 120000 + n,
        characterisation = "违反财经纪律",
    };

    private static async Task<(int Accepted, int Refused, Dictionary<int, int> Statuses)> Load(HttpClient http, string path, int seconds, int concurrency)
    {
        var accepted = 0;
        var refused = 0;
        var statuses = new Dictionary<int, int>();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var n = worker * 1_000_000;
            while (DateTime.UtcNow < until)
            {
                using var response = await http.PostAsJsonAsync(path, Finding(++n), Json);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref accepted);
                    continue;
                }
                Interlocked.Increment(ref refused);
                lock (statuses) statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            }
        }));
        return (accepted, refused, statuses);
    }

    private static async Task<double> PgbenchAsync(int port, int seconds, int concurrency)
    {
        await using (var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres"))
        {
            await conn.OpenAsync();
            await new NpgsqlCommand("DROP DATABASE IF EXISTS pgbench", conn).ExecuteNonQueryAsync();
            await new NpgsqlCommand("CREATE DATABASE pgbench", conn).ExecuteNonQueryAsync();
        }
        string[] common = ["-h", "127.0.0.1", "-p", port.ToString(), "-U", "postgres"];
        await Exec("pgbench", [.. common, "-i", "-q", "-s", "10", "pgbench"]);
        var output = await Exec("pgbench", [.. common, "-c", concurrency.ToString(), "-j", "2", "-M", "prepared", "-T", seconds.ToString(), "pgbench"]);
        var tps = Regex.Match(output, @"tps = ([0-9.]+) \(without initial connection time\)");
        if (!tps.Success) throw new InvalidOperationException("pgbench printed no tps:\n" + output);
        Console.WriteLine(output.Split('\n').Where(l => l.StartsWith("tps") || l.StartsWith("latency average") || l.StartsWith("number of transactions actually")).Aggregate("", (a, l) => a + "  " + l + "\n"));
        return double.Parse(tps.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> Exec(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}):\n{await stderr}");
        return await stdout + await stderr;
    }

    private static async Task<long> CountAsync(string connection, string sql) => (await PairAsync(connection, sql)).Item1;

    private static async Task<(long, long)> PairAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var reader = await new NpgsqlCommand(sql, conn).ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.FieldCount > 1 ? reader.GetInt64(1) : 0);
    }

    private static async Task<T> Until<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, string what, bool throwOnTimeout = true)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var seen = await observe();
            if (done(seen)) return seen;
            if (DateTime.UtcNow > deadline)
            {
                if (throwOnTimeout) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}; last: {seen}");
                Console.WriteLine($"gave up waiting for {what} after {timeout.TotalSeconds:0} s; last: {seen}");
                return seen;
            }
            await Task.Delay(200);
        }
    }

    private static async Task<HttpClient> SignInAsync(AppHostRun run, JsonElement credentials, string username)
    {
        var password = credentials.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("username").GetString() == username).GetProperty("password").GetString()!;
        var gateway = run.Gateway.BaseAddress!;
        var issuer = gateway.ToString().TrimEnd('/');
        using var browser = new Browser(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = gateway },
            "xuncha-web", issuer + "/signin-callback");
        var tokens = await browser.SignInForTokensAsync(username, password, "openid planning staffing fieldwork audit");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return http;
    }

    /// <summary>A round of one county department, launched, with its group proposed by staffing and confirmed by the office.</summary>
    private static async Task<(Guid Round, Guid Target)> LaunchRoundWithAGroupAsync(HttpClient office, HttpClient leadingGroup)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var term = (await Get(office, "/api/planning/terms")).EnumerateArray()
            .First(t => t.GetProperty("jurisdiction").GetString() == "demo-city"
                && DateOnly.Parse(t.GetProperty("startsOn").GetString()!) <= today && today <= DateOnly.Parse(t.GetProperty("endsOn").GetString()!));
        var target = (await Get(office, "/api/planning/targets?q=demo-city-zhashui-d04&pageSize=5")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("code").GetString() == "demo-city-zhashui-d04").GetProperty("id").GetGuid();
        var round = await Send(office, HttpMethod.Post, "/api/planning/rounds", new
        {
            termId = term.GetProperty("id").GetGuid(), name = "全链路写入基准轮次", startsOn = today, endsOn = today.AddDays(30), groupsNeeded = 1,
        }, HttpStatusCode.Created);
        var roundId = round.GetProperty("id").GetGuid();
        await Send(office, HttpMethod.Post, $"/api/planning/rounds/{roundId}/targets", new { targets = new[] { new { targetId = target, mode = "regular" } } }, HttpStatusCode.OK);
        await Send(office, HttpMethod.Post, $"/api/planning/rounds/{roundId}/transitions", new { to = "submitted", reason = "报审" }, HttpStatusCode.OK);
        await Send(leadingGroup, HttpMethod.Post, $"/api/planning/rounds/{roundId}/transitions", new { to = "approved", reason = "同意" }, HttpStatusCode.OK);
        await Send(office, HttpMethod.Post, $"/api/planning/rounds/{roundId}/transitions", new { to = "launched", reason = "启动" }, HttpStatusCode.OK);
        await Until(async () => (await office.GetAsync($"/api/staffing/rounds/{roundId}")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "staffing to receive RoundLaunched");
        var proposal = await Send(office, HttpMethod.Post, $"/api/staffing/rounds/{roundId}/proposal", new { reason = "基准" }, HttpStatusCode.OK);
        foreach (var group in proposal.GetProperty("groups").EnumerateArray())
        {
            await Send(office, HttpMethod.Post, $"/api/staffing/groups/{group.GetProperty("id").GetGuid()}/confirm",
                new { version = group.GetProperty("version").GetUInt32(), reason = "同意" }, HttpStatusCode.OK);
        }
        return (roundId, target);
    }

    private static Task<JsonElement> Get(HttpClient http, string path) => Send(http, HttpMethod.Get, path, null, HttpStatusCode.OK);

    private static async Task<JsonElement> Send(HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
