using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xuncha.Contracts.Planning;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.AuditLinkage.Rules;
using Xuncha.Testing;

namespace Xuncha.Bench.AuditLinkage;

/// <summary>
/// (1) Import throughput: the service's streaming import (parse, validate, HMAC the identity number, binary COPY) against
/// a raw text COPY of the same CSV file into a plain table — both through Npgsql to the same server, alternated.
/// (2) The compiled subsidy-after-death rule (hits + evidence rows + events, in one transaction) against the hand-written
/// join that materialises the same hits, alternated. The rule's SQL time counts both its steps, which overlap: selecting the
/// hits with their evidence (the join itself, while the first hits are already being stored) and finishing the store after
/// the last hit; the table shows each and the total.
/// </summary>
public static class Bench
{
    private static readonly Guid RoundId = Guid.Parse("0196b000-0000-7000-8000-000000000001");
    private static readonly Guid TargetId = Guid.Parse("0196b000-0000-7000-8000-0000000000a1");

    public static async Task<int> Main(string[] args)
    {
        var rows = Arg(args, "--rows", 1_000_000);
        var deaths = Arg(args, "--deaths", 100_000);
        var repeat = Arg(args, "--repeat", 5);
        var ruleRepeat = Arg(args, "--rule-repeat", 9); // a run is under half a second: more rounds steady the medians

        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var work = Directory.CreateTempSubdirectory("xuncha-audit-bench-");
        var servers = new PlatformServers();
        ServiceFactory<Program>? factory = null;
        try
        {
            var subsidyFile = Path.Combine(work.FullName, "subsidy.csv");
            var deathFile = Path.Combine(work.FullName, "deaths.csv");
            var generate = Stopwatch.StartNew();
            var expectedHits = WriteFiles(subsidyFile, deathFile, rows, deaths);
            Console.WriteLine($"generated {rows:N0} subsidy rows ({new FileInfo(subsidyFile).Length / 1e6:0.0} MB) and {deaths:N0} death rows in {generate.Elapsed.TotalSeconds:0.0} s; expected hits {expectedHits:N0}");

            await servers.InitializeAsync();
            var database = await servers.CreateDatabaseAsync("auditbench");
            factory = new ServiceFactory<Program>(new Dictionary<string, string?>
            {
                ["ConnectionStrings:auditdb"] = database,
                ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("auditbench"),
                ["Database:MigrateOnStart"] = "true",
                ["AuditLinkage:IdentityHashKey"] = "bench-identity-hash-key-0123456789abcdef",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            var client = factory.Server.CreateClient();
            client.Timeout = TimeSpan.FromMinutes(30);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(JwtAuthentication.AudienceFor("audit"),
                subject: "bench-auditor", roles: [PlatformRoles.AuditOfficer], jurisdiction: "demo-city-luonan", scopes: ["audit"]));
            await client.WaitHealthyAsync();
            await LaunchRoundAsync(factory, database);

            await using var conn = new NpgsqlConnection(database);
            await conn.OpenAsync();
            await Exec(conn, "CREATE TABLE raw_subsidy (recipient_id text, recipient_name text, item text, amount numeric(18,2), paid_on date, unit_code text)");

            // Warm-up (JIT up to its optimised tier, caches, table files), not measured: a whole import, because after a
            // tenth of the file the first measured import still ran about twice as slow as the next ones.
            await ImportAsync(client, "subsidy-payments", subsidyFile, rows);
            await Exec(conn, "VACUUM ANALYZE ds_subsidy_payments");
            var raw = new List<double>();
            var import = new List<double>();

            async Task RawCopyAsync()
            {
                await Exec(conn, "TRUNCATE raw_subsidy");
                await Exec(conn, "CHECKPOINT");
                var sw = Stopwatch.StartNew();
                await using (var copy = await conn.BeginTextImportAsync("COPY raw_subsidy FROM STDIN (FORMAT csv, HEADER true)"))
                using (var file = new StreamReader(subsidyFile, Encoding.UTF8, false, 1 << 16))
                {
                    var buffer = new char[1 << 16];
                    int n;
                    while ((n = await file.ReadAsync(buffer)) > 0) await copy.WriteAsync(buffer.AsMemory(0, n));
                }
                raw.Add(sw.Elapsed.TotalSeconds);
                // Each load's vacuum is run here, untimed, for both sides: left to autovacuum it starts at a random
                // moment and takes one of the two CPUs from whatever is being measured then.
                await Exec(conn, "VACUUM ANALYZE raw_subsidy");
            }

            async Task ServiceImportAsync()
            {
                await Exec(conn, "CHECKPOINT");
                var sw = Stopwatch.StartNew();
                await ImportAsync(client, "subsidy-payments", subsidyFile, rows);
                import.Add(sw.Elapsed.TotalSeconds);
                await Exec(conn, "VACUUM ANALYZE ds_subsidy_payments");
            }

            for (var r = 0; r < repeat; r++)
            {
                // Which goes first alternates, as for the rule below.
                if (r % 2 == 0) { await RawCopyAsync(); await ServiceImportAsync(); }
                else { await ServiceImportAsync(); await RawCopyAsync(); }
                Console.WriteLine($"  import round {r + 1}: raw COPY {raw[^1]:0.00} s, service import {import[^1]:0.00} s ({raw[^1] / import[^1]:0.00}x raw speed)");
            }
            await ImportAsync(client, "death-registry", deathFile, deaths);
            await Exec(conn, "VACUUM ANALYZE");

            var versions = await QueryVersionsAsync(conn);
            var rule = new List<double>();
            var ruleSql = new List<double>();
            var ruleSelect = new List<double>();
            var ruleStore = new List<double>();
            var join = new List<double>();
            long joinRows = 0, ruleHits = 0;
            var lastRun = Guid.Empty;
            // One run unmeasured, like the import's warm-up: the run's own code (evidence JSON, COPY) is JIT-compiled on first use.
            var warmRun = await client.PostAsJsonAsync($"/rounds/{RoundId}/targets/{TargetId}/comparison-runs", new { rules = new[] { "subsidy-after-death" } });
            if (!warmRun.IsSuccessStatusCode) throw new InvalidOperationException($"warm-up run failed: {(int)warmRun.StatusCode} {await warmRun.Content.ReadAsStringAsync()}");
            async Task JoinAsync()
            {
                var sw = Stopwatch.StartNew();
                await using (var tx = await conn.BeginTransactionAsync())
                {
                    await using var cmd = new NpgsqlCommand("""
                        CREATE TEMP TABLE baseline_hits ON COMMIT DROP AS
                        SELECT s.*, d.person_name, d.died_on, d.line AS death_line
                        FROM ds_subsidy_payments s
                        JOIN ds_death_registry d ON d.version_id = $2 AND d.person_id_hash = s.recipient_id_hash
                        WHERE s.version_id = $1 AND s.paid_on > d.died_on
                        """, conn, tx);
                    cmd.Parameters.Add(new NpgsqlParameter { Value = versions.Subsidy });
                    cmd.Parameters.Add(new NpgsqlParameter { Value = versions.Death });
                    await cmd.ExecuteNonQueryAsync();
                    await tx.CommitAsync();
                }
                join.Add(sw.Elapsed.TotalSeconds);
                await using (var tx = await conn.BeginTransactionAsync())
                {
                    // Counted apart, untimed: CREATE TABLE AS reports no row count.
                    await using var cmd = new NpgsqlCommand(
                        "SELECT count(*) FROM ds_subsidy_payments s JOIN ds_death_registry d ON d.version_id = $2 AND d.person_id_hash = s.recipient_id_hash WHERE s.version_id = $1 AND s.paid_on > d.died_on", conn, tx);
                    cmd.Parameters.Add(new NpgsqlParameter { Value = versions.Subsidy });
                    cmd.Parameters.Add(new NpgsqlParameter { Value = versions.Death });
                    joinRows = (long)(await cmd.ExecuteScalarAsync())!;
                }
            }

            async Task RuleAsync()
            {
                var sw = Stopwatch.StartNew();
                var response = await client.PostAsJsonAsync($"/rounds/{RoundId}/targets/{TargetId}/comparison-runs", new { rules = new[] { "subsidy-after-death" } });
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"run failed: {(int)response.StatusCode} {body}");
                rule.Add(sw.Elapsed.TotalSeconds);
                var summary = JsonDocument.Parse(body).RootElement;
                ruleHits = summary.GetProperty("hitCount").GetInt64();
                lastRun = summary.GetProperty("id").GetGuid();
                var frozen = summary.GetProperty("rules")[0];
                ruleSql.Add(frozen.GetProperty("milliseconds").GetInt64() / 1000.0);
                ruleSelect.Add(frozen.GetProperty("selectMilliseconds").GetInt64() / 1000.0);
                ruleStore.Add(frozen.GetProperty("storeMilliseconds").GetInt64() / 1000.0);
            }

            for (var r = 0; r < ruleRepeat; r++)
            {
                // Which goes first alternates, so neither always runs on the other's warm caches.
                if (r % 2 == 0) { await JoinAsync(); await RuleAsync(); }
                else { await RuleAsync(); await JoinAsync(); }
                Console.WriteLine($"  rule round {r + 1}: hand-written join {join[^1]:0.00} s ({joinRows:N0} rows), rule run {rule[^1]:0.00} s end to end, of which the compiled SQL {ruleSql[^1]:0.00} s " +
                    $"(select hits with evidence, storing alongside {ruleSelect[^1]:0.00} s + store after the last hit {ruleStore[^1]:0.00} s; {ruleHits:N0} hits; {ruleSql[^1] / join[^1]:0.00}x join time)");
            }
            if (args.Contains("--explain"))
            {
                // Diagnostics: both plans as the server runs them now, the rule's compiled exactly as a run compiles it.
                var definition = BuiltInRules.All.Single(r => r.Code == "subsidy-after-death").Definition;
                var compiled = RuleCompiler.Compile(definition,
                    new Dictionary<string, Guid> { ["subsidy-payments"] = versions.Subsidy, ["death-registry"] = versions.Death }).Statements[0];
                await ExplainAsync(conn, "SELECT s.*, d.person_name, d.died_on, d.line AS death_line FROM ds_subsidy_payments s JOIN ds_death_registry d ON d.version_id = $2 AND d.person_id_hash = s.recipient_id_hash WHERE s.version_id = $1 AND s.paid_on > d.died_on",
                    [versions.Subsidy, versions.Death]);
                await ExplainAsync(conn, compiled.Sql, compiled.Parameters);
            }
            if (joinRows != expectedHits || ruleHits != expectedHits)
            {
                Console.WriteLine($"MISMATCH: expected {expectedHits} hits, join {joinRows}, rule {ruleHits}");
                return 1;
            }

            // Evidence is stored as references and read back as rows when hits are listed: what a page of hits costs.
            var page = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                var hits = await client.GetFromJsonAsync<JsonElement>($"/rounds/{RoundId}/comparison-runs/{lastRun}/hits?limit=100");
                page.Add(sw.Elapsed.TotalSeconds);
                if (hits.GetArrayLength() != 100 || hits[99].GetProperty("evidence").GetArrayLength() != 2) throw new InvalidOperationException("a page of hits came back without its evidence");
            }

            var importRatio = Median(raw) / Median(import);   // speed relative to raw COPY
            var ruleRatio = Median(ruleSql) / Median(join);   // the rule's SQL (both steps: select with evidence, store) vs the hand-written join
            var runRatio = Median(rule) / Median(join);       // the whole run: HTTP, freezing, reading hits back, events, audit, commit
            Console.WriteLine();
            Console.WriteLine("subject                           | median s |  rows/s   | ratio    | target");
            Console.WriteLine("----------------------------------+----------+-----------+----------+--------------");
            Console.WriteLine($"raw COPY (csv, no checks)         | {Median(raw),8:0.00} | {rows / Median(raw),9:N0} |          |");
            Console.WriteLine($"service import (stream+hash+COPY) | {Median(import),8:0.00} | {rows / Median(import),9:N0} | {importRatio,6:0.00}x  | >= 0.70x speed");
            Console.WriteLine($"hand-written join                 | {Median(join),8:0.00} |           |          |");
            Console.WriteLine($"rule subsidy-after-death (SQL)    | {Median(ruleSql),8:0.00} |           | {ruleRatio,6:0.00}x  | <= 1.20x time");
            Console.WriteLine($"  step 1: select hits (+ storing)  | {Median(ruleSelect),8:0.00} |           | {Median(ruleSelect) / Median(join),6:0.00}x  | (reported)");
            Console.WriteLine($"  step 2: store after last hit    | {Median(ruleStore),8:0.00} |           |          | (reported)");
            Console.WriteLine($"comparison run, end to end        | {Median(rule),8:0.00} |           | {runRatio,6:0.00}x  | (reported)");
            Console.WriteLine($"a page of 100 hits with evidence  | {Median(page),8:0.00} |           |          | (reported)");
            var pass = importRatio >= 0.7 && ruleRatio <= 1.2;
            Console.WriteLine($"target: import ≥ 0.7× raw COPY speed: {(importRatio >= 0.7 ? "PASS" : "FAIL")} ({importRatio:0.00}×)");
            Console.WriteLine($"target: deceased-recipient rule ≤ 1.2× the hand-written join's time: {(ruleRatio <= 1.2 ? "PASS" : "FAIL")} ({ruleRatio:0.00}×)");
            return pass ? 0 : 1;
        }
        finally
        {
            if (factory is not null) await factory.DisposeAsync();
            await servers.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static async Task ExplainAsync(NpgsqlConnection conn, string sql, IReadOnlyList<object> parameters)
    {
        await using var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, VERBOSE, BUFFERS) " + sql, conn);
        foreach (var value in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await cmd.ExecuteReaderAsync();
        Console.WriteLine(sql);
        while (await reader.ReadAsync()) Console.WriteLine("  " + reader.GetString(0));
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v : fallback;
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task ImportAsync(HttpClient client, string kind, string file, int rows)
    {
        await using var stream = File.OpenRead(file);
        var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await client.PostAsync($"/rounds/{RoundId}/datasets/{kind}/imports", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import failed: {(int)response.StatusCode} {body}");
        var imported = JsonDocument.Parse(body).RootElement.GetProperty("rowsImported").GetInt64();
        if (imported != rows) throw new InvalidOperationException($"imported {imported} of {rows} rows: {body[..Math.Min(body.Length, 2000)]}");
    }

    private static async Task<(Guid Subsidy, Guid Death)> QueryVersionsAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("SELECT kind, id FROM dataset_versions WHERE status = 'Ready' ORDER BY number", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Guid subsidy = default, death = default;
        while (await reader.ReadAsync())
        {
            if (reader.GetString(0) == "subsidy-payments") subsidy = reader.GetGuid(1); // the latest wins, as in a run
            else death = reader.GetGuid(1);
        }
        return (subsidy, death);
    }

    private static async Task LaunchRoundAsync(ServiceFactory<Program> factory, string database)
    {
        await factory.Services.GetRequiredService<IBus>().Publish(new RoundLaunched
        {
            RoundId = RoundId, Jurisdiction = "demo-city-luonan", Number = 1, Name = "基准测试轮次", StartsOn = new(2024, 1, 1), EndsOn = new(2024, 12, 31),
            Targets = [new RoundTarget { TargetId = TargetId, Code = "demo-city-luonan-d03", Name = "洛南县民政局", Kind = "county-department",
                JurisdictionPath = ["demo-city", "demo-city-luonan", "demo-city-luonan-d03"], County = "demo-city-luonan" }],
        });
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await Eventually.Until(async () =>
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM rounds", conn);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }, n => n == 1, TimeSpan.FromSeconds(30), "the round read model");
    }

    /// <summary>
    /// 200,000 recipients paid monthly (Jan–May 2024, five rows each per million); deaths: the first 2% of recipients died
    /// on 2024-03-01 (three later payments each are hits), another 8% die in 2025, the rest are not recipients.
    /// </summary>
    private static long WriteFiles(string subsidyFile, string deathFile, int rows, int deaths)
    {
        var recipients = Math.Max(rows / 5, 1);
        using (var w = new StreamWriter(subsidyFile, false, new UTF8Encoding(false), 1 << 20))
        {
            w.Write("recipient_id,recipient_name,item,amount,paid_on,unit_code\n");
            for (var i = 0; i < rows; i++)
            {
                var person = i % recipients;
                var month = i / recipients % 5 + 1;
                w.Write($"{IdNumber(person)},居民{person},城乡居民高龄补贴,{100 + person % 400}.50,2024-{month:00}-15,demo-city-luonan-t{person % 12 + 1:00}-v{person % 12 + 1:00}\n");
            }
        }
        long hits = 0;
        var early = recipients / 50;
        using (var w = new StreamWriter(deathFile, false, new UTF8Encoding(false), 1 << 20))
        {
            w.Write("person_id,person_name,died_on\n");
            for (var i = 0; i < deaths; i++)
            {
                var person = i < recipients / 10 ? i : recipients + i;
                var died = i < early ? "2024-03-01" : "2025-02-01";
                w.Write($"{IdNumber(person)},居民{person},{died}\n");
            }
        }
        for (var i = 0; i < rows; i++)
        {
            var person = i % recipients;
            var month = i / recipients % 5 + 1;
            if (person < early && person < deaths && month >= 3) hits++;
        }
        return hits;
    }

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>A distinct valid identity number per person: birth date walks from 1940-01-01, three-digit sequence.</summary>
    private static string IdNumber(int person)
    {
        var born = new DateOnly(1940, 1, 1).AddDays(person / 1000);
        var body = string.Create(CultureInfo.InvariantCulture, $"610102{born:yyyyMMdd}{person % 1000:000}");
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (body[i] - '0') * Weights[i];
        return body + "10X98765432"[sum % 11];
    }
}
