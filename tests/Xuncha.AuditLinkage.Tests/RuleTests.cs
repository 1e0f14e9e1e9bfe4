using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Runs;
using Xuncha.Contracts.AuditLinkage;
using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>Each library rule on a small dataset whose hits and non-hits are known line by line.</summary>
[Collection(Servers.Name)]
public sealed class RuleTests(PlatformServers servers) : IAsyncLifetime
{
    // A make-up working Sunday (调休): the late-disbursement rule must count it, as WorkingCalendar does.
    private static readonly DateOnly WorkingSunday = new(2024, 4, 7);
    private AuditHost host = null!;

    public async Task InitializeAsync() => host = await AuditHost.StartAsync(servers, new Dictionary<string, string?>
    {
        ["Calendar:WorkingWeekends:0"] = WorkingSunday.ToString("yyyy-MM-dd"),
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static string Id(int p) => TestData.IdNumber(p);

    private async Task ImportAsync(HttpClient client, string kind, params string[] lines)
    {
        var response = await client.PostAsync($"/rounds/{AuditHost.RoundId}/datasets/{kind}/imports", TestData.Csv(lines));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task ImportAllAsync(HttpClient client)
    {
        await ImportAsync(client, "subsidy-payments", "身份证号,姓名,补贴项目,金额,发放日期,村（单位）代码",
            $"{Id(1)},张一,高龄补贴,300,2024-03-05,v01",     // line 2: paid before death — no hit
            $"{Id(1)},张一,高龄补贴,300,2024-04-05,v01",     // line 3: paid after death — hit
            $"{Id(2)},李二,低保,500,2024-04-05,v01",         // line 4: nobody — no hit
            $"{Id(3)},王三,低保,500,2024-04-05,v02",         // line 5: public employee — hit
            $"{Id(4)},赵四,危房改造补助,20000,2024-05-01,v02", // line 6: cadre's relative — hit
            $"{Id(5)},钱五,高龄补贴,300,2024-05-15,v03",     // line 7: died later — no hit
            $"{Id(5)},钱五,高龄补贴,300,2024-06-01,v03");    // line 8: paid on the day of death — no hit
        await ImportAsync(client, "death-registry", "person_id,person_name,died_on",
            $"{Id(1)},张一,2024-03-10", $"{Id(5)},钱五,2024-06-01", $"{Id(6)},孙六,2024-01-01");
        await ImportAsync(client, "public-employees", "身份证号,姓名,工作单位,职务",
            $"{Id(3)},王三,洛南县财政局,科员", $"{Id(6)},孙六,洛南县教育局,");
        await ImportAsync(client, "cadre-relatives", "干部身份证号,干部姓名,干部单位,亲属身份证号,亲属姓名,关系",
            $"{Id(7)},陈干部,,{Id(4)},赵四,配偶", $"{Id(7)},陈干部,洛南县民政局,{Id(6)},孙六,子女"); // a blank unit: null in the summary
        await ImportAsync(client, "payment-ledger", "支付编号,收款方,支付事项,金额,支付日期,凭证号",
            "PAY1,某建筑公司,工程款,80000,2024-03-01,",      // line 2: ≥ 50,000 without voucher — hit
            "PAY2,某建筑公司,工程款,\"50,000.00\",2024-03-02,", // line 3: exactly 50,000 without voucher — hit
            "PAY3,某商贸公司,办公用品,49999.99,2024-03-02,",  // line 4: below the threshold — no hit
            "PAY4,某设备公司,设备款,120000,2024-03-03,记-031", // line 5: has a voucher — no hit
            "PAY5,某印刷厂,宣传册印刷,3000,2024-04-01,记-101", // lines 6–7: the same item paid twice — one hit
            "PAY6,某印刷厂,宣传册印刷,3000,2024-04-20,记-122",
            "PAY7,某印刷厂,宣传册印刷,3500,2024-04-21,记-123"); // line 8: different amount — not a duplicate
        await ImportAsync(client, "fund-disbursements", "资金项目,项目名称,拨付对象,金额,资金到位日期,拨付日期",
            "产业帮扶资金,项目A,城关镇,100000,2024-03-01,2024-03-22", // line 2: exactly 15 working days — no hit
            "产业帮扶资金,项目B,城关镇,200000,2024-03-01,2024-03-25", // line 3: 16 working days — hit
            "产业帮扶资金,项目C,城关镇,300000,2024-03-01,",          // line 4: not yet disbursed — no hit
            "产业帮扶资金,项目D,城关镇,400000,2024-04-01,2024-04-22"); // line 5: 16 only with the working Sunday — hit
    }

    private async Task<RunSummary> RunAsync(HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync($"/rounds/{AuditHost.RoundId}/targets/{AuditHost.TargetId}/comparison-runs", body ?? new { });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunSummary>(TestData.Json))!;
    }

    private async Task<List<JsonElement>> HitsAsync(HttpClient client, Guid runId, string rule) =>
        (await client.GetFromJsonAsync<List<JsonElement>>($"/rounds/{AuditHost.RoundId}/comparison-runs/{runId}/hits?rule={rule}"))!;

    private static long[] Lines(JsonElement hit) => [.. hit.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("line").GetInt64())];

    [Fact]
    public async Task Each_rule_finds_its_known_hits_and_spares_the_known_non_hits()
    {
        var auditor = host.AuditOfficer();
        await ImportAllAsync(auditor);
        var run = await RunAsync(auditor);

        var deceased = await HitsAsync(auditor, run.Id, "subsidy-after-death");
        var hit = Assert.Single(deceased);
        Assert.Equal([3L, 2L], Lines(hit)); // subsidy line 3 with death-registry line 2
        Assert.Equal(300m, hit.GetProperty("amount").GetDecimal());
        Assert.Equal($"张一（{TestData.Masked(1)}）已于2024-03-10死亡，2024-04-05仍发放高龄补贴300.00元", hit.GetProperty("summary").GetString());
        var evidenceRow = hit.GetProperty("evidence")[0].GetProperty("row");
        Assert.Equal(TestData.Masked(1), evidenceRow.GetProperty("recipient_id_masked").GetString());
        Assert.False(evidenceRow.TryGetProperty("recipient_id_hash", out _)); // the hash never leaves the database
        // Stored as references to the frozen versions' lines, read back as the rows above.
        var stored = await host.WithDb(db => db.Hits.Where(h => h.RunId == run.Id && h.RuleCode == "subsidy-after-death").Select(h => h.Evidence).SingleAsync());
        Assert.Equal("""{"refs":[["subsidy-payments",3],["death-registry",2]]}""", stored);

        var insiders = await HitsAsync(auditor, run.Id, "subsidy-to-insider");
        Assert.Equal(2, insiders.Count);
        // Summaries are written as PostgreSQL's concat() wrote them: dates ISO, amounts with their two decimals, a null left out.
        Assert.Equal("财政供养人员王三（洛南县财政局）于2024-04-05领取低保500.00元", insiders.Single(h => Lines(h)[0] == 5).GetProperty("summary").GetString());
        Assert.Equal("陈干部（）申报的亲属赵四（配偶）于2024-05-01领取危房改造补助20000.00元", insiders.Single(h => Lines(h)[0] == 6).GetProperty("summary").GetString());

        var noVoucher = await HitsAsync(auditor, run.Id, "large-payment-without-voucher");
        Assert.Equal([2L, 3L], noVoucher.Select(h => Lines(h)[0]).Order());

        var duplicate = Assert.Single(await HitsAsync(auditor, run.Id, "duplicate-payment"));
        Assert.Equal([6L, 7L], Lines(duplicate));
        Assert.Equal(3000m, duplicate.GetProperty("amount").GetDecimal());

        var late = await HitsAsync(auditor, run.Id, "late-aid-disbursement");
        Assert.Equal([3L, 5L], late.Select(h => Lines(h)[0]).Order());
        var calendar = new WorkingCalendar([], [WorkingSunday]);
        Assert.Equal(15, calendar.WorkingDaysBetween(new(2024, 3, 1), new(2024, 3, 22)));
        Assert.Equal(16, calendar.WorkingDaysBetween(new(2024, 4, 1), new(2024, 4, 22)));
        Assert.Equal(15, WorkingCalendar.WeekdaysOnly.WorkingDaysBetween(new(2024, 4, 1), new(2024, 4, 22)));

        Assert.Equal(8, run.HitCount);
        Assert.All(run.Rules, r => Assert.Equal(1, r.Version));
        Assert.Equal(6, run.Datasets.Count);
    }

    [Fact]
    public async Task Evidence_keeps_quotes_backslashes_blanks_and_chinese_exactly_as_imported()
    {
        var auditor = host.AuditOfficer();
        await ImportAsync(auditor, "subsidy-payments", "身份证号,姓名,补贴项目,金额,发放日期,村（单位）代码",
            $"{Id(1)},\"张\"\"一\\n\",\"高龄补贴, 第\"\"2\"\"批\",300.50,2024-04-05,");
        await ImportAsync(auditor, "death-registry", "person_id,person_name,died_on", $"{Id(1)},张一,2024-03-10");
        var run = await RunAsync(auditor, new { rules = new[] { "subsidy-after-death" } });

        var hit = Assert.Single(await HitsAsync(auditor, run.Id, "subsidy-after-death"));
        var row = hit.GetProperty("evidence")[0].GetProperty("row");
        Assert.Equal("张\"一\\n", row.GetProperty("recipient_name").GetString());
        Assert.Equal("高龄补贴, 第\"2\"批", row.GetProperty("item").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("unit_code").ValueKind);
        Assert.Equal(300.50m, row.GetProperty("amount").GetDecimal());
        Assert.Equal("2024-04-05", row.GetProperty("paid_on").GetString());
        Assert.Equal(2L, row.GetProperty("line").GetInt64());
        var death = hit.GetProperty("evidence")[1];
        Assert.Equal("death-registry", death.GetProperty("dataset").GetString());
        Assert.Equal("2024-03-10", death.GetProperty("row").GetProperty("died_on").GetString());
        Assert.Equal(TestData.Masked(1), death.GetProperty("row").GetProperty("person_id_masked").GetString());
    }

    [Fact]
    public async Task A_duplicate_group_whose_evidence_outgrows_a_copy_buffer_is_stored_whole()
    {
        var auditor = host.AuditOfficer();
        var item = string.Concat(Enumerable.Repeat("宣传册印刷", 40)); // 600 bytes of UTF-8 a row: the group's evidence is about 1 MB
        var big = Enumerable.Range(0, 1200).Select(i => $"PAY{i},某印刷厂,{item},3000,2024-04-01,记-{i}");
        string[] small = ["PAYX,某商贸公司,办公用品,800,2024-05-01,记-X1", "PAYY,某商贸公司,办公用品,800,2024-05-02,记-X2"]; // lines 1202–1203
        await ImportAsync(auditor, "payment-ledger", ["支付编号,收款方,支付事项,金额,支付日期,凭证号", .. big, .. small]);
        var run = await RunAsync(auditor, new { rules = new[] { "duplicate-payment" } });

        var hits = (await HitsAsync(auditor, run.Id, "duplicate-payment")).OrderByDescending(h => h.GetProperty("evidence").GetArrayLength()).ToList();
        Assert.Equal(2, hits.Count);
        Assert.Equal(Enumerable.Range(2, 1200).Select(l => (long)l), Lines(hits[0]));
        Assert.All(hits[0].GetProperty("evidence").EnumerateArray(), e => Assert.Equal(item, e.GetProperty("row").GetProperty("item").GetString()));
        Assert.Equal([1202L, 1203L], Lines(hits[1]));
        Assert.Equal(800m, hits[1].GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_rule_finding_more_hits_than_the_cap_is_refused_and_writes_nothing()
    {
        await using var capped = await AuditHost.StartAsync(servers, new Dictionary<string, string?> { ["AuditLinkage:MaxHitsPerStatement"] = "1" });
        var auditor = capped.AuditOfficer();
        await ImportAllAsync(auditor);
        var response = await auditor.PostAsJsonAsync($"/rounds/{AuditHost.RoundId}/targets/{AuditHost.TargetId}/comparison-runs",
            new { rules = new[] { "large-payment-without-voucher" } }); // two hits
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("run.too-many-hits", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await capped.WithDb(db => db.Runs.CountAsync()));
        Assert.Equal(0, await capped.WithDb(db => db.Hits.CountAsync()));

        var one = await RunAsync(auditor, new { rules = new[] { "subsidy-after-death" } }); // exactly the cap
        Assert.Equal(1, one.HitCount);
    }

    [Fact]
    public async Task A_rerun_after_a_rule_change_keeps_the_earlier_runs_rule_version_and_evidence()
    {
        var auditor = host.AuditOfficer();
        await ImportAllAsync(auditor);
        var first = await RunAsync(auditor, new { rules = new[] { "large-payment-without-voucher" } });
        Assert.Equal(2, first.HitCount);

        var revised = await auditor.PutAsJsonAsync("/rules/large-payment-without-voucher", new
        {
            name = "10万元以上支出无原始凭证",
            reason = "本轮提高阈值",
            definition = new
            {
                dataset = "payment-ledger",
                where = new object[] { new { column = "a.amount", op = "gte", value = 100000 }, new { column = "a.voucher_ref", op = "blank" } },
                amountColumn = "amount",
                summary = "{a.payee}{a.amount}元无凭证",
            },
        });
        Assert.Equal(HttpStatusCode.Created, revised.StatusCode);
        // New data too: a new version of the ledger.
        await ImportAsync(auditor, "payment-ledger", "payment_no,payee,item,amount,paid_on,voucher_ref",
            "PAY9,某工程公司,工程款,150000,2024-05-01,");

        var second = await RunAsync(auditor, new { rules = new[] { "large-payment-without-voucher" } });
        Assert.Equal(2, second.Rules.Single().Version);
        Assert.Equal(2, second.Datasets.Single().Number);
        Assert.Equal(1, second.HitCount);

        var old = await auditor.GetFromJsonAsync<ComparisonRun>($"/rounds/{AuditHost.RoundId}/comparison-runs/{first.Id}", TestData.Json);
        Assert.Equal(1, old!.Rules.Single().Version);
        Assert.Equal("5万元以上支出无原始凭证", old.Rules.Single().Name);
        Assert.Equal(1, old.Datasets.Single().Number);
        var oldHits = await HitsAsync(auditor, first.Id, "large-payment-without-voucher");
        Assert.Equal(2, oldHits.Count);
        Assert.All(oldHits, h => Assert.Equal(1, h.GetProperty("ruleVersion").GetInt32()));
        Assert.Equal(["PAY1", "PAY2"], oldHits.Select(h => h.GetProperty("evidence")[0].GetProperty("row").GetProperty("payment_no").GetString()).Order());
    }

    [Fact]
    public async Task Hits_reach_the_outbox_as_ComparisonHitsFound_and_are_published()
    {
        var member = host.Member();
        await ImportAllAsync(member);
        var run = await RunAsync(member, new { rules = new[] { "subsidy-after-death", "duplicate-payment" } });
        Assert.Equal(2, run.HitCount);
        Assert.Equal(AuditHost.GroupId, run.GroupId);

        var message = await Eventually.Until(() => host.WithDb(db => db.Set<OutboxMessage>().Where(m => m.MessageType.Contains(nameof(ComparisonHitsFound))).ToListAsync()),
            m => m.Count == 1 && m[0].SentAt != null, TimeSpan.FromSeconds(20), "the published hits event");
        var evt = JsonSerializer.Deserialize<ComparisonHitsFound>(message[0].Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(run.Id, evt.RunId);
        Assert.Equal(AuditHost.TargetId, evt.TargetId);
        Assert.Equal(AuditHost.County, evt.Jurisdiction);
        Assert.Equal(["duplicate-payment", "subsidy-after-death"], evt.Hits.Select(h => h.Rule).Order());
    }

    [Fact]
    public async Task A_run_whose_named_rule_lacks_a_dataset_is_refused_and_writes_nothing()
    {
        var auditor = host.AuditOfficer();
        await ImportAsync(auditor, "subsidy-payments", "身份证号,姓名,补贴项目,金额,发放日期", $"{Id(1)},张一,高龄补贴,300,2024-04-05");
        var response = await auditor.PostAsJsonAsync($"/rounds/{AuditHost.RoundId}/targets/{AuditHost.TargetId}/comparison-runs", new { rules = new[] { "subsidy-after-death" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("death-registry", await response.Content.ReadAsStringAsync());
        var unknown = await auditor.PostAsJsonAsync($"/rounds/{AuditHost.RoundId}/targets/{AuditHost.TargetId}/comparison-runs", new { rules = new[] { "no-such-rule" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(0, await host.WithDb(db => db.Runs.CountAsync()));
        Assert.Equal(0, await host.WithDb(db => db.Hits.CountAsync()));
    }

    [Fact]
    public async Task Rule_edits_are_validated_by_field_and_reserved_to_audit_officers_and_the_office()
    {
        var definition = new { dataset = "payment-ledger", where = new object[] { new { column = "a.amount;drop table rounds", op = "gte", value = 1 } }, summary = "x" };
        var bad = await host.AuditOfficer().PutAsJsonAsync("/rules/my-rule", new { name = "试验", definition });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("definition.where[0].column", await bad.Content.ReadAsStringAsync());

        var forbidden = await host.Member().PutAsJsonAsync("/rules/my-rule", new { name = "试验", definition = new { dataset = "payment-ledger", summary = "x" } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var malformed = await host.AuditOfficer().PutAsync("/rules/my-rule", new StringContent("{\"name\": 5", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(5, await host.WithDb(db => db.Rules.CountAsync()));
    }
}
