using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Planning.Coverage;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Terms;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Testing;

namespace Xuncha.Bench.Planning;

/// <summary>
/// Province-size planning data (20,000 targets, 500 rounds): p95 of the coverage and statistics endpoints — as served
/// (answers kept per data generation) and recomputed on every request — against a naive computation of the same answer
/// (load the rows, count in memory) and a one-row read as the floor; and the bulk import of 20,000 targets against
/// inserting the same rows through EF Core's change tracker. Targets: p95 ≤ 50 ms; import ≤ 5 s.
/// </summary>
public static class Bench
{
    private const string Root = "bench-prov";
    private const int Cities = 10;
    private const int CountiesPerCity = 10;
    private const int DepartmentsPerCounty = 20;
    private const int TownshipsPerCounty = 20;
    private const int VillagesPerTownship = 8;
    private const int Rounds = 500;
    private const int TargetsPerRound = 30;

    public static async Task<int> Main(string[] args)
    {
        var samples = args.Length > 1 && args[0] == "--samples" && int.TryParse(args[1], out var n) && n > 0 ? n : 200;
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var servers = new PlatformServers();
        ServiceFactory<Program>? factory = null;
        try
        {
            await servers.InitializeAsync();
            factory = new ServiceFactory<Program>(new Dictionary<string, string?>
            {
                ["ConnectionStrings:planningdb"] = await servers.CreateDatabaseAsync("bench"),
                ["ConnectionStrings:eventbus"] = await servers.CreateVirtualHostAsync("bench"),
                ["Database:MigrateOnStart"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var client = factory.CreateClient();
            client.Timeout = TimeSpan.FromMinutes(5);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                TestTokens.Mint(JwtAuthentication.AudienceFor("planning"), subject: "bench", roles: [PlatformRoles.OfficeCoordinator, PlatformRoles.LeadingGroup], jurisdiction: Root, lifetime: TimeSpan.FromHours(2)));
            await client.WaitHealthyAsync();

            Console.WriteLine("building the province: 10 cities, 100 counties …");
            await Post(client, "/jurisdictions", new { id = Root, name = "基准省", level = "province" });
            var counties = new List<string>();
            for (var c = 1; c <= Cities; c++)
            {
                var city = $"{Root}-c{c:00}";
                await Post(client, "/jurisdictions", new { id = city, parentId = Root, name = $"第{c}市", level = "city" });
                for (var k = 1; k <= CountiesPerCity; k++)
                {
                    var county = $"{city}-k{k:00}";
                    counties.Add(county);
                    await Post(client, "/jurisdictions", new { id = county, parentId = city, name = $"第{c}市第{k}县", level = "county" });
                }
            }

            var csv = ProvinceCsv(counties, "", out var rows);
            Console.WriteLine($"importing {rows:N0} targets ({csv.Length / 1024:N0} KB CSV) …");
            var importMs = await TimeImport(client, csv);
            var reimportMs = await TimeImport(client, csv);
            var naiveImportMs = await NaiveImport(factory, counties);

            Console.WriteLine($"planning {Rounds} rounds …");
            var term = await SeedRounds(factory);

            // Served: what callers see while the data stands still (answers kept per data generation).
            var coverage = await Measure(samples, () => Get(client, $"/terms/{term.Id}/coverage?asOf=2025-06-30"));
            var statistics = await Measure(samples, () => Get(client, $"/statistics?termId={term.Id}"));
            // Recomputed: the generation moves before every request, as if each one followed a change.
            var bump = () => Bump(factory);
            var coverageCold = await Measure(samples, () => Get(client, $"/terms/{term.Id}/coverage?asOf=2025-06-30"), bump);
            var statisticsCold = await Measure(samples, () => Get(client, $"/statistics?termId={term.Id}"), bump);
            // The floor: a one-row read through the same pipeline (token, routing, EF, JSON) under the same machine load.
            var floor = await Measure(samples, () => Get(client, $"/terms/{term.Id}"));
            var baselineSamples = Math.Max(10, samples / 10);
            var naiveCoverage = await Measure(baselineSamples, () => NaiveCoverage(factory, term));
            var naiveStatistics = await Measure(baselineSamples, () => NaiveStatistics(factory, term));

            // The same answers, or the comparison means nothing.
            var served = await Get(client, $"/terms/{term.Id}/coverage?asOf=2025-06-30");
            var naive = await NaiveCoverage(factory, term);
            var servedStats = await Get(client, $"/statistics?termId={term.Id}");
            var naiveStats = await NaiveStatistics(factory, term);
            var sameCoverage = served["overall"]!["inspected"]!.GetValue<int>() == naive["overall"]!["inspected"]!.GetValue<int>()
                && served["overall"]!["total"]!.GetValue<int>() == naive["overall"]!["total"]!.GetValue<int>();
            var sameStats = servedStats["problemsFound"]!.GetValue<int>() == naiveStats["problemsFound"]!.GetValue<int>()
                && servedStats["targetsCovered"]!.GetValue<int>() == naiveStats["targetsCovered"]!.GetValue<int>();

            Console.WriteLine();
            Console.WriteLine($"data: {rows:N0} targets, {Rounds} rounds, {Rounds * TargetsPerRound:N0} round targets; coverage {served["overall"]!["inspected"]}/{served["overall"]!["total"]} = {served["overall"]!["rate"]}%");
            Console.WriteLine();
            Console.WriteLine("measure                    |  n   |  p50 ms |  p95 ms |  max ms | baseline (same answer)           | baseline p95 ms | ratio");
            Console.WriteLine("---------------------------+------+---------+---------+---------+----------------------------------+-----------------+------");
            Row("GET coverage (served)", coverage, "naive: load rows, count in memory", naiveCoverage);
            Row("GET coverage (recomputed)", coverageCold, "naive: load rows, count in memory", naiveCoverage);
            Row("GET statistics (served)", statistics, "naive: load rows, sum in memory", naiveStatistics);
            Row("GET statistics (recomputed)", statisticsCold, "naive: load rows, sum in memory", naiveStatistics);
            Console.WriteLine($"{"GET term (floor)",-27}| {floor.N,4} | {floor.P50,7:0.00} | {floor.P95,7:0.00} | {floor.Max,7:0.00} | {"one-row read, same pipeline",-32} |                 |");
            Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} CPUs");
            Console.WriteLine();
            Console.WriteLine("import                  |  rows  |       ms | baseline                         |       ms | ratio");
            Console.WriteLine("------------------------+--------+----------+----------------------------------+----------+------");
            Console.WriteLine($"{"POST import (create)",-24}| {rows,6} | {importMs,8:0} | {"EF Core AddRange + SaveChanges",-32} | {naiveImportMs,8:0} | {naiveImportMs / importMs,4:0.0}x");
            Console.WriteLine($"{"POST import (update)",-24}| {rows,6} | {reimportMs,8:0} | {"EF Core AddRange + SaveChanges",-32} | {naiveImportMs,8:0} | {naiveImportMs / reimportMs,4:0.0}x");
            Console.WriteLine();
            var pass = true;
            pass &= Verdict("coverage p95 <= 50 ms (served)", coverage.P95 <= 50, $"{coverage.P95:0.0} ms; recomputed every time {coverageCold.P95:0.0} ms");
            pass &= Verdict("statistics p95 <= 50 ms (served)", statistics.P95 <= 50, $"{statistics.P95:0.0} ms; recomputed every time {statisticsCold.P95:0.0} ms");
            pass &= Verdict("import of 20,000 targets <= 5 s", importMs <= 5000, $"{importMs / 1000:0.00} s");
            pass &= Verdict("same answers as the baselines", sameCoverage && sameStats, sameCoverage && sameStats ? "yes" : "NO");
            return pass ? 0 : 1;
        }
        finally
        {
            if (factory is not null) await factory.DisposeAsync();
            await servers.DisposeAsync();
        }
    }

    private sealed record Stats(int N, double P50, double P95, double Max);

    private static void Row(string name, Stats s, string baseline, Stats b) =>
        Console.WriteLine($"{name,-27}| {s.N,4} | {s.P50,7:0.00} | {s.P95,7:0.00} | {s.Max,7:0.00} | {baseline,-32} | {b.P95,15:0.00} | {b.P95 / s.P95,4:0.0}x");

    private static bool Verdict(string what, bool ok, string figure)
    {
        Console.WriteLine($"target: {what}: {(ok ? "PASS" : "FAIL")} ({figure})");
        return ok;
    }

    private static async Task<Stats> Measure(int samples, Func<Task<JsonNode>> call, Func<Task>? before = null)
    {
        for (var i = 0; i < Math.Min(20, samples); i++) await call();
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            if (before is not null) await before();
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return new Stats(samples, At(0.50), At(0.95), times[^1]);
    }

    /// <summary>Moves the data generation, so the next read cannot be answered from memory.</summary>
    private static async Task Bump(ServiceFactory<Program> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PlanningDb>().Database.ExecuteSqlRawAsync("UPDATE data_generation SET value = value + 1 WHERE id = 1");
    }

    private static async Task Post(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonNode> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static string ProvinceCsv(List<string> counties, string prefix, out int rows)
    {
        var rng = new Random(20261125);
        var sb = new StringBuilder("code,parentCode,name,kind,economicSize,petitions,projects,specialFunds,weakPartyOrganisation,dataAnomaly\n");
        rows = 0;
        foreach (var county in counties)
        {
            for (var d = 1; d <= DepartmentsPerCounty; d++, rows++) sb.Append($"{prefix}{county}-d{d:00},{county},第{d}局,county-department,{rng.Next(1000, 90000)},{rng.Next(0, 30)},{rng.Next(0, 40)},{rng.Next(0, 9000)},false,false\n");
            for (var t = 1; t <= TownshipsPerCounty; t++, rows++)
            {
                var township = $"{prefix}{county}-t{t:00}";
                sb.Append($"{township},{county},第{t}镇,township,{rng.Next(1000, 50000)},{rng.Next(0, 30)},{rng.Next(0, 40)},{rng.Next(0, 9000)},false,false\n");
                for (var v = 1; v <= VillagesPerTownship; v++, rows++)
                {
                    sb.Append($"{township}-v{v:00},{township},第{v}村,village,{rng.Next(50, 1600)},{rng.Next(0, 8)},{rng.Next(0, 7)},{rng.Next(0, 450)},{(rng.NextDouble() < 0.05 ? "true" : "false")},false\n");
                }
            }
        }
        return sb.ToString();
    }

    private static async Task<double> TimeImport(HttpClient client, string csv)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/targets/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import: {(int)response.StatusCode} {(await response.Content.ReadAsStringAsync())[..Math.Min(2000, (int)(response.Content.Headers.ContentLength ?? 2000))]}");
        return elapsed;
    }

    /// <summary>The same 20,000 rows (other codes) through EF Core's change tracker, then removed again.</summary>
    private static async Task<double> NaiveImport(ServiceFactory<Program> factory, List<string> counties)
    {
        var targets = new List<Target>();
        var now = DateTimeOffset.UtcNow;
        foreach (var county in counties)
        {
            var path = new[] { "naive", county };
            for (var i = 1; i <= DepartmentsPerCounty + TownshipsPerCounty * (1 + VillagesPerTownship); i++)
            {
                var code = $"naive-{county}-{i:000}";
                targets.Add(new Target { Id = Target.IdFor(code), Code = code, ParentCode = county, Name = $"对照{i}", Kind = TargetKind.Village, JurisdictionPath = [.. path, code], County = county, UpdatedAt = now });
            }
        }
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanningDb>();
        var watch = Stopwatch.StartNew();
        db.Targets.AddRange(targets);
        await db.SaveChangesAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        await db.Targets.Where(t => t.Code.StartsWith("naive-")).ExecuteDeleteAsync();
        return elapsed;
    }

    /// <summary>One province term and 500 rounds over five years, 30 targets each, with fieldwork and rectification figures.</summary>
    private static async Task<Term> SeedRounds(ServiceFactory<Program> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanningDb>();
        var term = new Term { Id = Guid.NewGuid(), Jurisdiction = Root, JurisdictionPath = [Root], Name = "基准届", StartsOn = new DateOnly(2021, 1, 1), EndsOn = new DateOnly(2026, 12, 31), CreatedAt = DateTimeOffset.UtcNow };
        db.Terms.Add(term);
        var ids = await db.Targets.AsNoTracking().Where(t => t.JurisdictionPath.Contains(Root)).OrderBy(t => t.Code).Select(t => t.Id).ToListAsync();
        var statuses = Enum.GetValues<RoundStatus>();
        for (var r = 0; r < Rounds; r++)
        {
            // 500 rounds of 30 targets walk half the target list one and a half times (a third of those targets twice, years apart).
            var starts = term.StartsOn.AddDays(r * 4);
            var round = new Round
            {
                Id = Guid.NewGuid(), TermId = term.Id, Jurisdiction = Root, JurisdictionPath = [Root], Number = r + 1, Name = $"第{r + 1}轮", StartsOn = starts, EndsOn = starts.AddDays(30),
                GroupsNeeded = 3, Status = statuses[r % statuses.Length], CreatedAt = DateTimeOffset.UtcNow, StandardsVersion = 1,
            };
            for (var k = 0; k < TargetsPerRound; k++)
            {
                var index = (r * TargetsPerRound + k) % (ids.Count / 2);
                round.Targets.Add(new RoundTarget
                {
                    RoundId = round.Id, TargetId = ids[index], Mode = InspectionMode.Regular, StartsOn = round.StartsOn, EndsOn = round.EndsOn,
                    Status = RoundTargetStatus.FieldworkCompleted, GroupId = Guid.NewGuid(), ProblemsFound = k % 7, CluesRaised = k % 3 == 0 ? 1 : 0,
                    RectificationTasksTotal = k % 7, RectificationTasksClosed = k % 5, FundsRecovered = k,
                });
            }
            db.Rounds.Add(round);
        }
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
        return term;
    }

    private static async Task<JsonNode> NaiveCoverage(ServiceFactory<Program> factory, Term term)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanningDb>();
        var targets = await db.Targets.AsNoTracking().ToListAsync();
        var rounds = await db.Rounds.AsNoTracking().Include(r => r.Targets).ToListAsync();
        var inspecting = RoundLifecycle.Inspecting.ToHashSet();
        var inspected = rounds.Where(r => inspecting.Contains(r.Status) && r.StartsOn <= term.EndsOn && r.EndsOn >= term.StartsOn)
            .SelectMany(r => r.Targets).Select(rt => rt.TargetId).ToHashSet();
        var cells = targets.Where(t => t.JurisdictionPath.Contains(term.Jurisdiction)).GroupBy(t => (t.County, t.Kind))
            .Select(g => (g.Key.County, g.Key.Kind, g.Count(), g.Count(t => inspected.Contains(t.Id)))).ToList();
        var inTerm = rounds.Where(r => inspecting.Contains(r.Status) && r.StartsOn <= term.EndsOn && r.EndsOn >= term.StartsOn && r.StartsOn <= new DateOnly(2025, 6, 30)).ToList();
        var names = await db.Jurisdictions.AsNoTracking().ToDictionaryAsync(j => j.Id, j => j.Name);
        var result = CoverageQuery.Assemble(term, new DateOnly(2025, 6, 30), cells, inTerm.Count, inTerm.Sum(r => r.Targets.Count), names);
        return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(result, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!;
    }

    private static async Task<JsonNode> NaiveStatistics(ServiceFactory<Program> factory, Term term)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanningDb>();
        var inScope = (await db.Targets.AsNoTracking().ToListAsync()).Where(t => t.JurisdictionPath.Contains(term.Jurisdiction)).Select(t => t.Id).ToHashSet();
        var rounds = await db.Rounds.AsNoTracking().Include(r => r.Targets).ToListAsync();
        var inspecting = RoundLifecycle.Inspecting.ToHashSet();
        var rts = rounds.Where(r => r.StartsOn <= term.EndsOn && r.EndsOn >= term.StartsOn).SelectMany(r => r.Targets.Select(rt => (r, rt))).Where(x => inScope.Contains(x.rt.TargetId)).ToList();
        return new JsonObject
        {
            ["targetsCovered"] = rts.Where(x => inspecting.Contains(x.r.Status)).Select(x => x.rt.TargetId).Distinct().Count(),
            ["problemsFound"] = rts.Sum(x => x.rt.ProblemsFound),
            ["groups"] = rts.Select(x => x.rt.GroupId).Distinct().Count(),
            ["fundsRecovered"] = rts.Sum(x => x.rt.FundsRecovered),
        };
    }
}
