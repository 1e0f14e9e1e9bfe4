using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Plans;

namespace Xuncha.Rectification.Documents;

/// <summary>The three documents the office issues: 整改通知书, 督办单, 月度整改进展报告 — generated from the records.</summary>
public static class RectificationDocuments
{
    public static byte[] Notice(RectificationCase c, DateOnly issuedOn)
    {
        var doc = new Docx().Title("巡察整改通知书").Subtitle($"（{c.TargetName}）")
            .Text($"{c.TargetName}党组织：")
            .Text($"根据巡察工作安排，巡察组已于{(c.FeedbackOn is { } fb ? ChinaDate.Chinese(fb) : "近日")}向你单位反馈巡察发现的问题。现将问题清单通知如下，请你单位党组织切实履行整改主体责任，主要负责人履行第一责任人职责。");
        var n = 1;
        doc.Heading("一、反馈问题清单");
        foreach (var p in c.Problems.OrderBy(p => p.ReceivedAt))
        {
            doc.Text($"{n++}. {p.Title}{(p.Source == ProblemSource.ImmediateRectification ? "（立行立改）" : "")}");
            if (p.Source == ProblemSource.Feedback && p.Suggestion.Length > 0) doc.Text($"整改建议：{p.Suggestion}");
        }
        doc.Heading("二、整改要求")
            .Text($"请于{(c.PlanDueOn is { } due ? ChinaDate.Chinese(due) : "规定期限")}前报送整改方案，逐项明确整改措施、第一责任人、具体责任人、整改联络员和整改时限，区分短期整改（1个月内完成）和长期整改任务。")
            .Text("整改台账每周更新，整改进展每月报告；整改完成的问题须提供佐证材料，经巡察办审核同意后销号。对整改不力、虚假整改的，将依规依纪严肃处理。")
            .Right("巡察工作领导小组办公室").Right(ChinaDate.Chinese(issuedOn));
        return doc.Render();
    }

    public static byte[] SupervisionOrder(RectificationCase c, RectificationTask task, CaseProblem? problem, EscalationNotice notice, DateOnly issuedOn) =>
        new Docx().Title("巡察整改督办单").Subtitle($"督办编号：DB-{issuedOn:yyyyMMdd}-{task.Id.ToString("N")[..8].ToUpperInvariant()}")
            .Text($"{c.TargetName}党组织：")
            .Text($"你单位巡察整改任务“{task.Measures}”（对应问题：{problem?.Title ?? "—"}）整改时限为{ChinaDate.Chinese(task.DueOn)}，截至{ChinaDate.Chinese(notice.IssuedOn)}已逾期{notice.OverdueWorkingDays}个工作日，经提醒后仍未完成。")
            .Table(["第一责任人", "具体责任人", "整改联络员", "整改时限"], [[task.FirstResponsible, task.Responsible, task.Liaison, ChinaDate.Chinese(task.DueOn)]])
            .Text("现予以督办。请你单位自收到本督办单之日起5个工作日内报告整改进展及逾期原因，并明确完成时限。逾期仍未整改到位的，将按规定提请对主要负责人进行约谈。")
            .Right("巡察工作领导小组办公室（整改督导岗）").Right(ChinaDate.Chinese(issuedOn))
            .Render();

    public static byte[] MonthlyReport(RectificationCase c, IReadOnlyList<RectificationTask> tasks, IReadOnlyList<EscalationNotice> notices, int updatesInMonth, DateOnly month, DateOnly issuedOn, Func<RectificationTask, bool> updateMissing)
    {
        var closed = tasks.Count(t => t.Status == LedgerStatus.Closed);
        var rate = tasks.Count == 0 ? 0 : Math.Round(100m * closed / tasks.Count, 1);
        var doc = new Docx().Title($"{c.TargetName}巡察整改进展月报").Subtitle($"（{month.Year}年{month.Month}月）")
            .Heading("一、总体进展")
            .Text($"巡察反馈问题{c.Problems.Count}个，制定整改任务{tasks.Count}项，已销号{closed}项，整改完成率{rate.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%；其中短期任务{tasks.Count(t => t.Term == TaskTerm.ShortTerm)}项，长期任务{tasks.Count(t => t.Term == TaskTerm.LongTerm)}项。本月台账更新{updatesInMonth}次。")
            .Heading("二、预警督办情况")
            .Text($"黄色预警{tasks.Count(t => t.IsOpen && t.Level == EscalationLevel.Yellow)}项，红色预警{tasks.Count(t => t.IsOpen && t.Level == EscalationLevel.Red)}项；本月发出提醒函{notices.Count(n => n.Step == EscalationStep.ReminderLetter)}份、督办单{notices.Count(n => n.Step == EscalationStep.SupervisionOrder)}份；未按周更新台账的任务{tasks.Count(updateMissing)}项。")
            .Heading("三、整改台账");
        doc.Table(["序号", "整改措施", "具体责任人", "时限", "类型", "状态", "预警"],
            tasks.Select((t, i) => (IReadOnlyList<string>)[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), t.Measures, t.Responsible, ChinaDate.Chinese(t.DueOn),
                t.Term == TaskTerm.ShortTerm ? "短期" : "长期", StatusName(t), t.Level switch { EscalationLevel.Red => "红", EscalationLevel.Yellow => "黄", _ => "—" }]));
        return doc.Right("巡察工作领导小组办公室").Right(ChinaDate.Chinese(issuedOn)).Render();
    }

    private static string StatusName(RectificationTask t) => t.Status switch
    {
        LedgerStatus.Draft => "草拟",
        LedgerStatus.InProgress => t.FalseRectification ? "整改中（虚假整改退回）" : t.Rebounded ? "整改中（问题反弹）" : "整改中",
        LedgerStatus.ClosureRequested => "申请销号",
        _ => "已销号",
    };
}
