using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Xuncha.EndToEnd.Tests.Round;

/// <summary>
/// 一轮巡察的全过程: a whole round driven only through the gateway with real tokens — planning, staffing, fieldwork with
/// the public's petitions, the audit bureau's data comparison, the clue hand-off with the commission's system, the
/// quarter's reconciliation, the unit's rectification to its evaluation — and the figures every office reads at the end.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class WholeRoundTests(E2EPlatform platform)
{
    // 柞水县: a township inspected by cross inspection (交叉巡察) and one with its villages (巡镇带村); none of them is in
    // the demo's earlier rounds, so the term's coverage grows by exactly this round's targets.
    private const string CrossCode = "demo-city-zhashui-t10";
    private static readonly string[] ClusterCandidates = ["demo-city-zhashui-t11", "demo-city-zhashui-t12", "demo-city-zhashui-t09"];
    private const string City = "demo-city";
    private const string Accused = "张某某";
    private const decimal UnvouchedPayment = 68_000m;

    private static DateOnly ChinaToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private HttpClient office = null!, leadingGroup = null!, leader = null!, deputy = null!, member = null!, clueOfficer = null!,
        supervisor = null!, admin = null!, commission = null!, auditBureau = null!, publicUser = null!;

    private Guid termId, roundId, crossTarget, clusterTarget, crossGroup, workspace, clueId;
    private int roundTargets, villagesAttached;
    private JsonElement coverageBefore;
    private readonly string traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    [Fact]
    public async Task A_round_runs_from_plan_to_evaluation_through_the_gateway_and_the_figures_add_up()
    {
        var clock = Stopwatch.StartNew();
        await SignIn();
        await OfficePlansAndLaunchesTheRound();
        await StaffingProposesAndTheOfficeConfirmsTheGroups();
        var intake = await GroupEntersAndPublishesTheAnnouncement();
        await PublicSubmitsPetitionsWithReceiptCodes(intake);
        await GroupInterviews();
        await GroupSignsWorkingPapersAndDisposesThem();
        await AuditBureauImportsAndARuleHitBecomesAConfirmedProblem();
        await ReportIsReviewedSubmittedAndFedBack();
        await ClueIsAssessedTransferredAndTheCommissionPushesItsOutcome();
        await QuarterReconciles();
        await UnitRectifiesAndTheOfficeEvaluates();
        await CoverageAndStatisticsShowTheRound();
        await OneTraceLinksTheFeedbackToTheRectificationCase();
        // The test's own work, the fixture's start aside (the brief's budget is about 90 s on an idle machine).
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"the round took {clock.Elapsed}");
    }

    private async Task SignIn()
    {
        office = await platform.AsUserAsync("demo.office-coordinator");
        leadingGroup = await platform.AsUserAsync("demo.leading-group");
        leader = await platform.AsUserAsync("demo.group-leader");
        deputy = await platform.AsUserAsync("demo.deputy-leader");
        member = await platform.AsUserAsync("demo.group-member");
        clueOfficer = await platform.AsUserAsync("demo.clue-officer");
        supervisor = await platform.AsUserAsync("demo.rectification-supervisor");
        admin = await platform.AsUserAsync("demo.platform-admin");
        commission = await platform.AsClientAsync("commission-system");
        auditBureau = await platform.AsClientAsync("audit-bureau-system");
        publicUser = platform.Anonymous();
    }

    private async Task<string> SubjectOf(string username) =>
        Calls.SubjectOf(await platform.UserTokenAsync(username, platform.Credentials.User(username).Password));

    // ── 1 准备: the office plans the round, the leading group approves, the office launches ──────────────────────────
    private async Task OfficePlansAndLaunchesTheRound()
    {
        var today = ChinaToday;
        var term = (await office.Get("/api/planning/terms", "terms")).Items()
            .FirstOrDefault(t => t.Str("jurisdiction") == City && DateOnly.Parse(t.Str("startsOn")) <= today && today <= DateOnly.Parse(t.Str("endsOn")));
        Assert.True(term.ValueKind == JsonValueKind.Object, "the demo city has no term covering today");
        termId = term.Id();
        coverageBefore = await office.Get($"/api/planning/terms/{termId}/coverage", "coverage before the round");
        crossTarget = await TargetId(CrossCode);
        // 巡镇带村 takes along only the non-key villages (the demo's attributes make most villages key): pick a township that has some.
        var (clusterCode, nonKey) = ("", 0);
        foreach (var code in ClusterCandidates)
        {
            var classified = await office.Get($"/api/planning/classification/villages?under={code}", $"village classification under {code}");
            (clusterCode, nonKey) = (code, classified.Int("nonKey"));
            if (nonKey > 0) break;
        }
        Assert.True(nonKey > 0, $"no township among {string.Join(", ", ClusterCandidates)} has a non-key village");
        clusterTarget = await TargetId(clusterCode);

        var endsOn = DateOnly.Parse(term.Str("endsOn")) is var termEnd && termEnd < today.AddDays(60) ? termEnd : today.AddDays(60);
        var round = await office.Post("/api/planning/rounds", new
        {
            termId, name = $"示范市第十二届市委端到端巡察（{traceId[..6]}）", startsOn = today.AddDays(-3), endsOn, groupsNeeded = 2,
        }, "office creates the round", HttpStatusCode.Created);
        roundId = round.Id();
        Assert.Equal("draft", round.Str("status"));
        await office.Post($"/api/planning/rounds/{roundId}/targets", new
        {
            targets = new object[]
            {
                new { targetId = crossTarget, mode = "cross", staffSourceJurisdictions = new[] { "demo-city-shangnan", "demo-city-danfeng" } },
                new { targetId = clusterTarget, mode = "township-with-villages" },
            },
        }, "office plans a cross-inspection target and a township with its villages");

        await Move(office, "submitted", "报领导小组审批");
        await Move(leadingGroup, "approved", "领导小组审议通过");
        var launched = await Move(office, "launched", "召开动员部署会，启动本轮巡察");
        var targets = launched.Items("targets").ToList();
        roundTargets = targets.Count;
        villagesAttached = targets.Count(t => t.Str("kind") == "village");
        Assert.True(villagesAttached == nonKey, $"巡镇带村 attached {villagesAttached} villages at launch, not the {nonKey} non-key ones: {launched}");
        Assert.All(targets.Where(t => t.Str("kind") == "village"), v => Assert.Equal(clusterTarget, v.Id("clusterTargetId")));
        Assert.Equal(2 + villagesAttached, roundTargets);
        Assert.Contains(targets, t => t.Id("targetId") == crossTarget && t.Str("mode") == "cross");
    }

    private async Task<Guid> TargetId(string code)
    {
        var page = await office.Get($"/api/planning/targets?q={code}&pageSize=20", $"target {code}");
        return page.Items("items").Single(t => t.Str("code") == code).Id();
    }

    private async Task<JsonElement> Move(HttpClient who, string to, string reason) =>
        await who.Post($"/api/planning/rounds/{roundId}/transitions", new { to, reason }, $"round → {to}");

    // ── 组建巡察组: staffing proposes, the office links the group's accounts and confirms ──────────────────────────
    private async Task StaffingProposesAndTheOfficeConfirmsTheGroups()
    {
        await office.Await($"/api/staffing/rounds/{roundId}", _ => true, "staffing to receive RoundLaunched");
        var proposal = await office.Post($"/api/staffing/rounds/{roundId}/proposal", new { reason = "按6+X和回避规则生成建议方案" }, "staffing proposes groups");
        var groups = proposal.Items("groups").ToList();
        Assert.Equal(2, groups.Count);
        var cross = groups.Single(g => g.Items("targetIds").Any(t => t.GetGuid() == crossTarget));
        var cluster = groups.Single(g => g.Items("targetIds").Any(t => t.GetGuid() == clusterTarget));
        Assert.Equal(1 + villagesAttached, cluster.Items("targetIds").Count());
        crossGroup = cross.Id();

        // The group's people sign in with platform accounts: the office links each seat's cadre to one (token sub).
        var seats = cross.Items("members").ToList();
        var links = new (string Role, string Username)[] { ("leader", "demo.group-leader"), ("deputy-leader", "demo.deputy-leader"), ("member", "demo.group-member") };
        foreach (var (role, username) in links)
        {
            var seat = seats.First(s => s.Str("role") == role);
            var cadre = await office.Get($"/api/staffing/cadres/{seat.Id("cadreId")}", $"cadre of the {role}");
            var input = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(cadre.GetRawText())!;
            var subject = await SubjectOf(username);
            input["accountSubject"] = JsonSerializer.SerializeToElement(subject);
            input["reason"] = JsonSerializer.SerializeToElement("关联平台账号");
            var linked = await office.Put($"/api/staffing/cadres/{seat.Id("cadreId")}", input, $"office links the {role}'s cadre to {username}");
            Assert.Equal(subject, linked.Str("accountSubject"));
        }
        var adjusted = await office.Put($"/api/staffing/groups/{crossGroup}/members", new
        {
            version = cross.Version(), reason = "关联组长、副组长、组员的平台账号",
            members = seats.Select(s => new { cadreId = s.Id("cadreId"), role = s.Str("role") }),
        }, "office re-seats the cross group with its accounts (rules re-checked)");
        Assert.Equal(3, adjusted.Items("members").Count(m => m.GetProperty("accountSubject").ValueKind == JsonValueKind.String));

        var confirmed = await office.Post($"/api/staffing/groups/{crossGroup}/confirm", new { version = adjusted.Version(), reason = "书记专题会研究同意" }, "office confirms the cross group");
        Assert.Equal("Confirmed", confirmed.Str("status"));
        var other = await office.Post($"/api/staffing/groups/{cluster.Id()}/confirm", new { version = cluster.Version(), reason = "书记专题会研究同意" }, "office confirms the 巡镇带村 group");
        Assert.Equal("Confirmed", other.Str("status"));
    }

    // ── 2 进驻: the group's workspace, the announcement with its QR intake ─────────────────────────────────────────
    private async Task<string> GroupEntersAndPublishesTheAnnouncement()
    {
        var mine = await leader.Await("/api/fieldwork/workspaces",
            ws => ws.Items().Any(w => w.Id("targetId") == crossTarget && w.Str("targetCode") == CrossCode && w.GetProperty("myRole").GetString() == "leader"),
            "fieldwork to open the cross group's workspace from GroupFormed and RoundLaunched");
        workspace = mine.Items().Single(w => w.Id("targetId") == crossTarget).Id();
        await Move(office, "fieldwork", "巡察组进驻");

        var today = ChinaToday;
        var announcement = await leader.Put($"/api/fieldwork/workspaces/{workspace}/announcement", new
        {
            opensOn = today.AddDays(-1), closesOn = today.AddDays(20), acceptedScope = "反映被巡察党组织领导班子及其成员问题的来信来电来访",
            hotline = "0914-2345678", mailbox = "xunchazu@example.gov.cn",
        }, "leader publishes the announcement");
        return announcement.Str("intakeCode");
    }

    private async Task PublicSubmitsPetitionsWithReceiptCodes(string intake)
    {
        var open = await publicUser.Get($"/api/fieldwork/public/intake/{intake}", "the public opens the QR intake");
        Assert.True(open.GetProperty("open").GetBoolean(), $"intake closed: {open}");
        var receipts = new List<string>();
        foreach (var (subject, content) in new[]
        {
            ("村集体资产出租问题", "村里的集体厂房低价出租给村干部亲属，没有经过村民代表大会讨论，租金多年未公开。"),
            ("惠农补贴发放问题", "镇上发放耕地地力补贴时，有已经去世的人还在领钱，希望巡察组查一查。"),
        })
        {
            var receipt = await publicUser.Post($"/api/fieldwork/public/intake/{intake}/petitions",
                new { category = "Report", subject, content, anonymous = true }, "the public submits an anonymous petition", HttpStatusCode.Created);
            receipts.Add(receipt.Str("receiptCode"));
        }
        var petitions = (await member.Get($"/api/fieldwork/workspaces/{workspace}/petitions", "group lists petitions")).Items().ToList();
        Assert.Equal(2, petitions.Count);
        Assert.All(petitions, p => Assert.True(p.GetProperty("anonymous").GetBoolean()));
        Assert.DoesNotContain("reporter", petitions[0].GetRawText(), StringComparison.OrdinalIgnoreCase);
        var first = petitions.Single(p => p.Str("receiptCode") == receipts[0]);
        await member.Post($"/api/fieldwork/workspaces/{workspace}/petitions/{first.Id()}/reply",
            new { reply = "已收悉，巡察组正在核实。", concluded = false }, "group replies to a petition");
        var tracked = await publicUser.Get($"/api/fieldwork/public/receipts/{receipts[0]}", "the public tracks the receipt code");
        Assert.Equal("已收悉，巡察组正在核实。", tracked.GetProperty("reply").GetString());
        Assert.Equal("Received", (await publicUser.Get($"/api/fieldwork/public/receipts/{receipts[1]}", "second receipt")).Str("status"));
    }

    private async Task GroupInterviews()
    {
        var interview = await member.Post($"/api/fieldwork/workspaces/{workspace}/activities", new
        {
            kind = "Interview", scheduledAt = DateTimeOffset.UtcNow.AddHours(-2), conductors = new[] { "组员" }, counterpart = "镇党委书记", subject = "落实全面从严治党主体责任情况",
        }, "member schedules an individual interview", HttpStatusCode.Created);
        var held = await member.Post($"/api/fieldwork/workspaces/{workspace}/activities/{interview.Id()}/record",
            new { heldAt = DateTimeOffset.UtcNow.AddHours(-1), record = "谈话对象介绍了镇党委落实主体责任情况，提及集体资产出租未履行民主程序。" }, "member records the interview");
        Assert.NotEqual(JsonValueKind.Null, held.GetProperty("heldAt").ValueKind);
    }

    // ── 问题底稿: drafted by a member, reviewed by the deputy, signed by the leader, then disposed ──────────────────
    private async Task GroupSignsWorkingPapersAndDisposesThem()
    {
        var ordinary = await DraftAndSign("集体资产出租未执行“三议两公开”", "Interview", null);
        var immediate = await DraftAndSign("村务公开栏长期未更新", "Visit", null);
        var clue = await DraftAndSign($"{Accused}涉嫌优亲厚友低价出租集体厂房", "Petition", [Accused]);

        var disposed = await Dispose(ordinary, new { kind = "Ordinary" });
        Assert.Equal("Ordinary", disposed.Str("disposition"));
        await Dispose(immediate, new { kind = "ImmediateRectification", requirement = "十个工作日内更新村务公开栏并建立定期公开制度" });
        var asClue = await Dispose(clue, new { kind = "Clue" });
        Assert.True(asClue.GetProperty("redacted").GetBoolean(), $"a clue's paper keeps its contents in fieldwork: {asClue}");
        var items = (await leader.Get($"/api/fieldwork/workspaces/{workspace}/immediate-items", "immediate-rectification items")).Items().ToList();
        Assert.Equal(immediate, Assert.Single(items).Id("paperId"));
    }

    private static object Content(string title, string source, string[]? involved, decimal? amount = null, uint? version = null) => new
    {
        title, source, occurredPeriod = "2024年1月至2026年6月", facts = $"{title}：经查阅会议记录和合同，相关事项未按规定履行程序。",
        figures = "涉及合同3份", amount, causes = "主体责任落实不到位，民主决策制度执行不严", nature = "违反群众纪律和村务公开规定",
        degree = "问题较为突出", impact = "损害集体利益，群众反映强烈", policyBasis = "《中国共产党农村基层组织工作条例》第十九条",
        evidence = new[] { "租赁合同复印件", "村民代表会议记录" }, responsiblePerson = "村党支部书记", involvedPersons = involved,
        suggestion = "严格执行“四议两公开”，清理不规范合同", version,
    };

    private async Task<Guid> DraftAndSign(string title, string source, string[]? involved)
    {
        var paper = await member.Post($"/api/fieldwork/workspaces/{workspace}/papers", Content(title, source, involved), $"member drafts “{title}”", HttpStatusCode.Created);
        return await SubmitAndSign(paper.Id(), title);
    }

    private async Task<Guid> SubmitAndSign(Guid paper, string title)
    {
        var path = $"/api/fieldwork/workspaces/{workspace}/papers/{paper}";
        Assert.Equal("AwaitingDeputy", (await member.Post($"{path}/submit", null, $"member submits “{title}”")).Str("status"));
        Assert.Equal("AwaitingLeader", (await deputy.Post($"{path}/approve", new { comment = "事实清楚" }, $"deputy reviews “{title}”")).Str("status"));
        Assert.Equal("Signed", (await leader.Post($"{path}/approve", new { comment = "同意" }, $"leader signs “{title}”")).Str("status"));
        return paper;
    }

    private Task<JsonElement> Dispose(Guid paper, object disposition) =>
        leader.Post($"/api/fieldwork/workspaces/{workspace}/papers/{paper}/disposition", disposition, $"leader disposes paper {paper}");

    // ── 巡审联动: the audit bureau's data, a rule hit, the group's confirmation ─────────────────────────────────────
    private async Task AuditBureauImportsAndARuleHitBecomesAConfirmedProblem()
    {
        await auditBureau.Await($"/api/audit/rounds/{roundId}/datasets", _ => true, "audit linkage to receive RoundLaunched");
        var csv = "payment_no,payee,item,amount,paid_on,voucher_ref,unit_code\n"
            + $"ZF-2025-031,某建筑公司,村道硬化工程款,{UnvouchedPayment},2025-08-12,,{CrossCode}\n"
            + $"ZF-2025-032,某农资店,农资采购,12000,2025-09-03,PZ-0932,{CrossCode}\n";
        var imported = await auditBureau.Post($"/api/audit/rounds/{roundId}/datasets/payment-ledger/imports?fileName=ledger.csv",
            new StringContent(csv, Encoding.UTF8, "text/csv"), "audit bureau imports the payment ledger", HttpStatusCode.Created);
        Assert.Equal(2, imported.GetProperty("rowsImported").GetInt64());
        var run = await auditBureau.Post($"/api/audit/rounds/{roundId}/targets/{crossTarget}/comparison-runs",
            new { rules = new[] { "large-payment-without-voucher" } }, "audit bureau runs the comparison", HttpStatusCode.Created);
        Assert.Equal(1, run.Int("hitCount"));

        var suggestions = await member.Await($"/api/fieldwork/workspaces/{workspace}/suggestions",
            s => s.GetArrayLength() == 1, "fieldwork to turn the rule hit into a suggested problem");
        var suggestion = suggestions.Items().Single();
        Assert.Equal(UnvouchedPayment, suggestion.Dec("amount"));
        var draft = await member.Post($"/api/fieldwork/workspaces/{workspace}/suggestions/{suggestion.Id()}/verify", null,
            "member verifies the suggested problem", HttpStatusCode.Created);
        Assert.Equal("DataComparison", draft.Str("source"));
        // The member completes the paper (五见两清) before it goes up for sign-off.
        var title = "5万元以上支出无原始凭证";
        await member.Put($"/api/fieldwork/workspaces/{workspace}/papers/{draft.Id()}",
            Content(title, "DataComparison", null, UnvouchedPayment, draft.Version()), "member completes the data-comparison paper");
        await SubmitAndSign(draft.Id(), title);
        await Dispose(draft.Id(), new { kind = "Ordinary" });
        Assert.Equal("Verified", (await member.Get($"/api/fieldwork/workspaces/{workspace}/suggestions", "suggestions after verification")).Items().Single().Str("status"));
    }

    // ── 3–4 报告与反馈 ────────────────────────────────────────────────────────────────────────────────────────────
    private async Task ReportIsReviewedSubmittedAndFedBack()
    {
        var report = await leader.Put($"/api/fieldwork/workspaces/{workspace}/report", new
        {
            overallAssessment = "该镇党委落实全面从严治党主体责任总体较好，但在集体资产管理方面存在薄弱环节。",
            suggestions = "严格执行民主决策程序，规范集体资产管理，加强村务公开。",
        }, "leader assembles the report");
        Assert.Equal(3, report.Items("problems").Count());
        Assert.Equal(1, report.Int("clueCount"));
        await leader.Post($"/api/fieldwork/workspaces/{workspace}/report/request-review", null, "leader asks the office to review");
        await office.Post($"/api/fieldwork/workspaces/{workspace}/report/review", new { approve = true, comment = "同意报送" }, "office approves the report");
        Assert.Equal("Submitted", (await leader.Post($"/api/fieldwork/workspaces/{workspace}/report/submit", null, "leader submits the report")).Str("status"));
        await Move(office, "reporting", "巡察报告已报送");

        // The feedback carries a traceparent we made, so its trace can be found on the dashboard afterwards.
        var parent = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue)));
        var feedback = await leader.Send(HttpMethod.Post, $"/api/fieldwork/workspaces/{workspace}/feedback", new { planDueDays = 20 }, HttpStatusCode.OK,
            "leader delivers the feedback", r => r.Headers.Add("traceparent", $"00-{traceId}-{parent}-01"));
        Assert.Equal(2, feedback.Int("problemCount"));
        await Move(office, "feedback", "巡察反馈已完成");
        await leader.Post($"/api/fieldwork/workspaces/{workspace}/complete", null, "leader completes the fieldwork");
    }

    // ── 移交: assessment with the commission, the letter, the commission's system pushing its handling ─────────────
    private async Task ClueIsAssessedTransferredAndTheCommissionPushesItsOutcome()
    {
        var listed = await clueOfficer.Await($"/api/clues/clues?roundId={roundId}", p => p.GetProperty("items").GetArrayLength() == 1,
            "the clue registry to receive ClueRaised");
        clueId = listed.Items("items").Single().Id();
        var clue = await clueOfficer.Get($"/api/clues/clues/{clueId}", "clue officer reads the clue");
        Assert.Contains(Accused, clue.Items("involvedPersons").Select(p => p.GetString()));
        Assert.Equal("petition", clue.Str("source"));
        var classified = await clueOfficer.Put($"/api/clues/clues/{clueId}/classification",
            new { category = "masses", sensitivity = "ordinary", version = clue.Version() }, "clue officer classifies the clue");
        Assert.Equal("masses", classified.Str("category"));

        var meeting = await clueOfficer.Post("/api/clues/assessments", new
        {
            jurisdiction = City, heldOn = ChinaToday, title = "第三季度问题线索会商研判会",
            participants = new[] { "市委巡察办", "市纪委监委案件监督管理室", "第三监督检查室" },
            decisions = new[] { new { clueId, disposition = "transfer", destination = "commission", receivingOffice = "市纪委监委第三监督检查室" } },
        }, "clue officer records the joint assessment", HttpStatusCode.Created);
        var letter = meeting.Items("decisions").Single().Str("letterNumber");
        Assert.False(string.IsNullOrWhiteSpace(letter));

        // The commission's system pulls its feed and finds the transfer by its letter.
        var (item, cursor) = (default(JsonElement), 0L);
        for (var page = 0; page < 20 && item.ValueKind != JsonValueKind.Object; page++)
        {
            var feed = await commission.Get($"/api/clues/commission/transfers?after={cursor}&limit=200", "commission pulls transfers");
            item = feed.Items("items").FirstOrDefault(i => i.Id("clueId") == clueId);
            if (cursor == feed.GetProperty("nextCursor").GetInt64()) break;
            cursor = feed.GetProperty("nextCursor").GetInt64();
        }
        Assert.True(item.ValueKind == JsonValueKind.Object, "the commission's feed does not carry the transferred clue");
        Assert.Equal(letter, item.Str("letterNumber"));

        var reference = $"纪监案〔{ChinaToday.Year}〕{traceId[..4]}号";
        object Report(string status, int cases, int sanctions, decimal funds) => new
        {
            commissionReference = reference, status, organisationalHandlings = 0, casesFiled = cases, sanctions, judicialTransfers = 0, fundsRecovered = funds,
        };
        foreach (var step in new[] { Report("received", 0, 0, 0), Report("preliminary-verification", 0, 0, 0), Report("case-filed", 1, 0, 0), Report("closed", 1, 1, UnvouchedPayment) })
        {
            Assert.True((await commission.Post($"/api/clues/commission/clues/{clueId}/reports", step, "commission pushes a handling step")).GetProperty("applied").GetBoolean());
        }
        var replay = await commission.Post($"/api/clues/commission/clues/{clueId}/reports", Report("closed", 1, 1, UnvouchedPayment), "commission retries its last push");
        Assert.False(replay.GetProperty("applied").GetBoolean(), "a replayed push was applied twice");

        var stats = await clueOfficer.Get($"/api/clues/statistics?roundId={roundId}", "clue statistics of the round");
        var totals = stats.GetProperty("totals");
        foreach (var (figure, expected) in new[] { ("clues", 1), ("transferred", 1), ("toCommission", 1), ("inHandling", 0), ("closed", 1), ("closedWithHandling", 1), ("casesFiled", 1), ("sanctions", 1) })
        {
            Assert.True(totals.Int(figure) == expected, $"clue statistics {figure} = {totals.Int(figure)}, expected {expected}: {totals}");
        }
        Assert.Equal(UnvouchedPayment, totals.Dec("fundsRecovered"));
    }

    // ── 对账销号: the office and the commission confirm every line of the quarter, then it closes ──────────────────
    private async Task QuarterReconciles()
    {
        var today = ChinaToday;
        var quarterOf = (today.Month + 2) / 3;
        var opened = await OpenQuarter(today.Year, quarterOf);
        var id = opened.Id();
        var lines = opened.Items("details").ToList();
        var mine = lines.FirstOrDefault(l => l.Id("clueId") == clueId);
        Assert.True(mine.ValueKind == JsonValueKind.Object, $"the quarter's list lacks this round's transferred clue: {opened}");
        Assert.Equal("closed", mine.Str("ledgerStatus"));
        var confirmations = new { items = lines.Select(l => new { clueId = l.Id("clueId"), status = l.Str("ledgerStatus") }) };
        await clueOfficer.Post($"/api/clues/reconciliations/{id}/office-confirmations", confirmations, "office confirms its ledger");
        var both = await commission.Post($"/api/clues/reconciliations/{id}/commission-confirmations", confirmations, "commission confirms its ledger");
        Assert.Equal(0, both.Int("unmatched"));
        var closed = await clueOfficer.Post($"/api/clues/reconciliations/{id}/close", null, "clue officer closes the quarter (销号)");
        Assert.Equal("closed", closed.Str("state"));
        Assert.Equal(lines.Count, closed.Int("matched"));
    }

    /// <summary>The quarter as the office opens it, or as it already stands open when another test opened it first.</summary>
    private async Task<JsonElement> OpenQuarter(int year, int quarter)
    {
        using var response = await clueOfficer.PostAsJsonAsync("/api/clues/reconciliations", new { jurisdiction = City, year, quarter });
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.Created) return JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"clue officer opens {year} Q{quarter}: {(int)response.StatusCode} {Calls.Clip(text)}");
        var existing = (await clueOfficer.Get("/api/clues/reconciliations", "quarters")).Items()
            .Single(q => q.Int("year") == year && q.Int("quarter") == quarter);
        Assert.True(existing.Str("state") == "open", $"{year} Q{quarter} was already closed by someone else: {existing}");
        return await clueOfficer.Get($"/api/clues/reconciliations/{existing.Id()}", "the open quarter");
    }

    // ── 5 整改: the unit's plan, ledger and closures; follow-up, survey, evaluation ─────────────────────────────────
    private async Task UnitRectifiesAndTheOfficeEvaluates()
    {
        var liaison = await UnitLiaison();
        await Move(office, "rectification", "进入整改阶段");
        var summary = (await liaison.Await("/api/rectification/cases", cs => cs.Items().Any(c => c.Id("roundId") == roundId && c.Int("problems") == 3),
            "rectification to open the unit's case from the immediate item and the feedback")).Items().Single(c => c.Id("roundId") == roundId);
        var caseId = summary.Id();
        var view = await liaison.Get($"/api/rectification/cases/{caseId}", "unit reads its case");
        var feedbackOn = DateOnly.Parse(view.Str("feedbackOn"));
        Assert.Equal(CrossCode, view.Str("targetCode"));

        foreach (var problem in view.Items("problems"))
        {
            var due = feedbackOn.AddDays(20);
            if (problem.GetProperty("dueOn").ValueKind == JsonValueKind.String && DateOnly.Parse(problem.Str("dueOn")) < due) due = DateOnly.Parse(problem.Str("dueOn"));
            await liaison.Post($"/api/rectification/cases/{caseId}/tasks", new
            {
                problemId = problem.Id(), measures = $"针对“{problem.Str("title")}”制定整改措施并建立长效机制", firstResponsible = "镇党委书记",
                responsible = "分管副镇长", liaison = "党政办主任", dueOn = due,
            }, "unit drafts a task per problem", HttpStatusCode.Created);
        }
        var submitted = await liaison.Post($"/api/rectification/cases/{caseId}/plan/submit", new { version = view.Version(), comments = "整改方案" }, "unit submits its plan");
        Assert.False(submitted.GetProperty("planLate").GetBoolean());
        var forOffice = await supervisor.Get($"/api/rectification/cases/{caseId}", "supervisor reads the case");
        await supervisor.Post($"/api/rectification/cases/{caseId}/plan/approve", new { version = forOffice.Version(), comments = "同意" }, "supervisor approves the plan");

        var tasks = (await liaison.Get($"/api/rectification/cases/{caseId}", "case after approval")).Items("tasks").ToList();
        Assert.Equal(3, tasks.Count);
        foreach (var task in tasks)
        {
            var id = task.Id();
            await liaison.Post($"/api/rectification/tasks/{id}/updates", new { progress = "已完成整改，建立制度", percentComplete = 100 }, "unit updates the ledger", HttpStatusCode.Created);
            using var evidence = new MultipartFormDataContent();
            var file = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n% 整改佐证材料\n%%EOF\n"));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            evidence.Add(file, "file", "evidence.pdf");
            await liaison.Post($"/api/rectification/tasks/{id}/evidence", evidence, "unit attaches evidence", HttpStatusCode.Created);
            var current = await liaison.Get($"/api/rectification/tasks/{id}", "task before closure");
            var requested = await liaison.Post($"/api/rectification/tasks/{id}/closure", new { version = current.Version(), summary = "整改完成，申请销号" }, "unit asks for closure");
            var closedTask = await supervisor.Post($"/api/rectification/tasks/{id}/closure/approve", new { version = requested.Version(), comments = "同意销号" }, "supervisor approves the closure");
            Assert.Equal("Closed", closedTask.Str("status"));
        }

        var followUps = (await supervisor.Get($"/api/rectification/cases/{caseId}/follow-ups", "回头看 schedule")).Items().ToList();
        Assert.Equal(3, followUps.Count);
        var checkedOne = await supervisor.Post($"/api/rectification/follow-ups/{followUps[0].Id()}/result",
            new { version = followUps[0].Version(), outcome = "Consolidated", findings = "回头看未发现问题反弹" }, "supervisor records a follow-up");
        Assert.Equal("Consolidated", checkedOne.Str("outcome"));

        var survey = await supervisor.Post($"/api/rectification/cases/{caseId}/survey", null, "supervisor opens the satisfaction survey", HttpStatusCode.Created);
        var token = survey.Str("link").Split('/')[^1];
        foreach (var answer in new[] { "Satisfied", "BasicallySatisfied", "Dissatisfied" })
        {
            await publicUser.Post($"/api/rectification/public/surveys/{token}/answers", new { answer }, "the public answers the survey", HttpStatusCode.Accepted);
        }
        var counted = await supervisor.Get($"/api/rectification/cases/{caseId}/survey", "survey counts");
        Assert.Equal(3, counted.Int("responses"));
        Assert.Equal(0.6667m, counted.Dec("satisfactionRate"));

        var model = await supervisor.Get("/api/rectification/evaluation/model", "evaluation model");
        var scores = model.Items("areas").SelectMany(a => a.Items("indicators")).ToDictionary(i => i.Str("code"), i => i.Dec("maxPoints"));
        var evaluation = await supervisor.Post($"/api/rectification/cases/{caseId}/evaluation",
            new { scores, fundsRecovered = UnvouchedPayment, rulesEstablished = 2, peopleHandled = 1 }, "supervisor evaluates the case");
        // 100 % of the checklist × 0.8 + 66.67 % satisfaction × 0.2 = 93.33 → 好.
        Assert.Equal(93.33m, evaluation.Dec("total"));
        Assert.Equal(3, evaluation.Int("tasksClosed"));
    }

    /// <summary>整改联络员 of the inspected township: an account whose jurisdiction is the unit itself (a unit sees only its own case).</summary>
    private async Task<HttpClient> UnitLiaison()
    {
        // The township joins identity's tree once (201); when another test already added it, 409 says so.
        using (var added = await admin.PostAsJsonAsync("/api/identity/admin/jurisdictions", new { id = CrossCode, parentId = "demo-city-zhashui", name = "柞水县第十镇" }))
        {
            Assert.True(added.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict,
                $"admin adds {CrossCode} to identity's tree: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
        }
        var username = $"e2e.unit-liaison.{traceId[..8]}";
        var password = $"Xc-9{traceId[8..20]}!a";
        await admin.Post("/api/identity/admin/users", new
        {
            username, password, displayName = "柞水县第十镇整改联络员", jurisdiction = CrossCode, agency = "inspected-unit", roles = new[] { "unit-liaison" },
        }, "admin creates the unit's liaison account", HttpStatusCode.Created);
        return await platform.AsUserAsync(username, password);
    }

    // ── 统计: the term's coverage and the round's figures as planning counts them ───────────────────────────────────
    private async Task CoverageAndStatisticsShowTheRound()
    {
        var after = await office.Get($"/api/planning/terms/{termId}/coverage", "coverage after the round");
        int Inspected(JsonElement coverage, string level) => level == "all"
            ? coverage.GetProperty("overall").Int("inspected")
            : coverage.Items("levels").Single(l => l.Str("key") == level).Int("inspected");
        Assert.Equal(Inspected(coverageBefore, "all") + roundTargets, Inspected(after, "all"));
        Assert.Equal(Inspected(coverageBefore, "township") + 2, Inspected(after, "township"));
        Assert.Equal(Inspected(coverageBefore, "village") + villagesAttached, Inspected(after, "village"));

        await Move(office, "closed", "整改评估完成，本轮巡察结束");
        var stats = await office.Await($"/api/planning/statistics?roundId={roundId}",
            s => s.GetProperty("rectification").Int("targetsEvaluated") == 1 && s.Int("problemsFound") == 3,
            "planning to count FieldworkCompleted and RectificationEvaluated");
        Assert.Equal(roundTargets, stats.Int("targetsCovered"));
        Assert.Equal(2, stats.Int("groups"));
        Assert.Equal(1, stats.Int("cluesRaised"));
        Assert.Equal(2, stats.Int("petitionsReceived"));
        var rect = stats.GetProperty("rectification");
        Assert.Equal(3, rect.Int("tasksTotal"));
        Assert.Equal(3, rect.Int("tasksClosed"));
        Assert.Equal(100m, rect.Dec("completionRate"));
        Assert.Equal(UnvouchedPayment, rect.Dec("fundsRecovered"));
        Assert.Equal(93.33m, rect.Dec("averageScore"));
    }

    // ── 链路追踪: gateway → fieldwork → outbox → RabbitMQ → rectification, in one trace ─────────────────────────────
    private async Task OneTraceLinksTheFeedbackToTheRectificationCase()
    {
        static string Of(JsonElement s, string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var observed = await Eventually.Until(async () =>
            {
                using var response = await platform.Run.Dashboard.GetAsync($"/api/traces/{traceId}");
                return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : default;
            },
            spans => spans.ValueKind == JsonValueKind.Array
                && spans.Items().Any(s => Of(s, "service") == "gateway")
                && spans.Items().Any(s => Of(s, "service") == "fieldwork" && Of(s, "kind") == "server")
                && spans.Items().Any(s => Of(s, "kind") == "producer")
                && spans.Items().Any(s => Of(s, "service") == "rectification" && Of(s, "kind") == "consumer")
                && spans.Items().Any(s => Of(s, "service") == "rectification" && Of(s, "kind") == "client"),
            TimeSpan.FromSeconds(45), $"trace {traceId} to reach from the gateway to rectification's consumer");
        var spans = observed.Items().ToList();
        var names = string.Join("; ", spans.Select(s => $"{Of(s, "service")}/{Of(s, "kind")}/{Of(s, "name")}"));
        var byId = spans.GroupBy(s => Of(s, "spanId")).ToDictionary(g => g.Key, g => g.First());
        var consumers = spans.Where(s => Of(s, "service") == "rectification" && Of(s, "kind") == "consumer").ToList();
        Assert.True(consumers.All(c => Of(c, "name").Contains("feedback-delivered", StringComparison.Ordinal)), $"rectification consumed something else in this trace: {names}");
        // Rectification wrote the case inside that consume: its database work hangs under a consumer span.
        var consumerIds = consumers.Select(c => Of(c, "spanId")).ToHashSet();
        Assert.True(spans.Any(s => Of(s, "service") == "rectification" && Of(s, "kind") == "client" && consumerIds.Contains(Of(s, "parentSpanId"))),
            $"no database span under rectification's consumer; spans: {names}");
        // One path: from the consumer up through fieldwork's send and request to the gateway's edge span.
        var path = new List<JsonElement>();
        for (var at = consumers[0]; ; at = byId[Of(at, "parentSpanId")])
        {
            path.Add(at);
            if (!byId.ContainsKey(Of(at, "parentSpanId")) || path.Count > 50) break;
        }
        var chain = string.Join(" ← ", path.Select(s => $"{Of(s, "service")}/{Of(s, "kind")}/{Of(s, "name")}"));
        Assert.True(path.Any(s => Of(s, "service") == "fieldwork" && Of(s, "kind") == "producer")
            && path.Any(s => Of(s, "service") == "fieldwork" && Of(s, "kind") == "server")
            && Of(path[^1], "service") == "gateway", $"the consumer's ancestry is not gateway → fieldwork → send: {chain}");
    }
}
