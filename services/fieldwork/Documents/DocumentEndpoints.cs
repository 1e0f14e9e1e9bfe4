using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Papers;
using Xuncha.Fieldwork.Workspaces;

namespace Xuncha.Fieldwork.Documents;

/// <summary>The working paper with its sign-off block and the inspection report, as .docx generated from the records.</summary>
public static class DocumentEndpoints
{
    public static void MapDocuments(this RouteGroupBuilder workspaces)
    {
        workspaces.MapGet("/{id:guid}/papers/{paperId:guid}/document.docx", Paper);
        workspaces.MapGet("/{id:guid}/report/document.docx", Report);
    }

    private static async Task<IResult> Paper(Guid id, Guid paperId, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        var (caller, paper) = await PaperEndpoints.FindAsync(db, http, id, paperId, ct);
        if (caller is null) return Problems.NotFound("No workspace with that id is visible to you.");
        // A clue's paper went to the clue registry with its details; nothing is left here to print.
        if (paper is null || paper.Redacted) return Problems.NotFound("No working paper with that id is visible to you.");
        var w = caller.Workspace;
        var doc = new DocxDocument()
            .Title("巡察问题底稿")
            .Right($"{w.Group.Name}　{paper.NumberText}")
            .Field("被巡察单位", w.DisplayName)
            .Field("问题标题", paper.Title)
            .Field("问题来源", paper.Source.Label())
            .Field("发生时间", paper.OccurredPeriod)
            .Field("基本事实", paper.Facts)
            .Field("涉及数据", string.Join("；", new[] { paper.Figures, paper.Amount is { } a ? $"涉及金额{a:N2}元" : null }.Where(s => !string.IsNullOrWhiteSpace(s))))
            .Field("原因分析", paper.Causes)
            .Field("问题性质", paper.Nature)
            .Field("问题程度", paper.Degree)
            .Field("产生影响", paper.Impact)
            .Field("定性依据", paper.PolicyBasis)
            .Field("责任人", paper.ResponsiblePerson)
            .Field("证据材料", string.Join("；", paper.Evidence.Select((e, i) => $"{i + 1}. {e}")))
            .Field("整改建议", paper.Suggestion)
            .Heading("审核签批");
        doc.Table(["环节", "意见", "签名", "日期", "说明"],
            [[ "起草人", "", paper.DrafterName, paper.CreatedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"), "" ],
             .. paper.SignOffs.Select(s => (IReadOnlyList<string>)[s.Step, s.Decision, s.Name, s.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"), s.Comment ?? ""])]);
        doc.Field("当前状态", paper.Status.Label());
        if (paper.Disposition is { } d) doc.Field("处置方式", d.Label());
        return DocxDocument.File(doc.ToBytes(), $"working-paper-{paper.Number:000}.docx");
    }

    private static async Task<IResult> Report(Guid id, HttpContext http, FieldworkDb db, CancellationToken ct)
    {
        if (await db.FindWorkspaceAsync(http.User, id, ct) is not { } caller) return Problems.NotFound("No workspace with that id is visible to you.");
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == id, ct);
        if (report is null) return Problems.NotFound("No report with that id is visible to you.");
        var w = caller.Workspace;
        var doc = new DocxDocument()
            .Title($"关于对{w.DisplayName}党组织巡察情况的报告")
            .Paragraph($"根据巡察工作安排，{w.Group.Name}于{w.StartsOn.Chinese()}至{w.EndsOn.Chinese()}对{w.DisplayName}党组织开展了巡察。现将有关情况报告如下：")
            .Heading("一、总体评价")
            .Paragraph(report.OverallAssessment)
            .Heading("二、发现的主要问题");
        foreach (var (p, i) in report.Problems.Select((p, i) => (p, i + 1)))
        {
            doc.Paragraph($"（{i}）{p.Title}{(p.Disposition == "immediate-rectification" ? "（已立行立改）" : "")}").Paragraph(p.Facts);
        }
        if (report.Problems.Count == 0) doc.Paragraph("未发现需要反馈的问题。");
        if (report.ClueCount > 0) doc.Paragraph($"巡察中发现问题线索{report.ClueCount}件，已按规定另行移交。");
        doc.Heading("三、整改建议").Paragraph(report.Suggestions)
            .Right(w.Group.Name)
            .Right(DateOnly.FromDateTime((report.SubmittedAt ?? report.AssembledAt).UtcDateTime).Chinese());
        return DocxDocument.File(doc.ToBytes(), "inspection-report.docx");
    }
}
