using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xuncha.Contracts.AuditLinkage;
using Xuncha.Fieldwork.Data;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Fieldwork.Suggestions;

public sealed class AuditFindingSharedConsumer(FieldworkDb db) : IdempotentConsumer<AuditFindingShared, FieldworkDb>(db)
{
    protected override async Task Handle(ConsumeContext<AuditFindingShared> context)
    {
        var m = context.Message;
        if (await Db.Suggestions.AnyAsync(s => s.SourceId == m.FindingId, context.CancellationToken)) return;
        Db.Suggestions.Add(new SuggestedProblem
        {
            Id = Guid.NewGuid(), SourceId = m.FindingId, Origin = SuggestedProblem.AuditOrigin, RoundId = m.RoundId, GroupId = m.GroupId,
            TargetId = m.TargetId, Title = Clip(m.Title, 300), Facts = Clip(m.Facts, 8000), Amount = m.Amount, Status = SuggestionStatus.Open, SuggestedAt = m.SharedAt.ToUniversalTime(),
        });
    }

    internal static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}

public sealed class ComparisonHitsFoundConsumer(FieldworkDb db) : IdempotentConsumer<ComparisonHitsFound, FieldworkDb>(db)
{
    protected override async Task Handle(ConsumeContext<ComparisonHitsFound> context)
    {
        var m = context.Message;
        var ids = m.Hits.Select(h => h.HitId).ToList();
        var known = await Db.Suggestions.Where(s => ids.Contains(s.SourceId)).Select(s => s.SourceId).ToListAsync(context.CancellationToken);
        foreach (var hit in m.Hits.Where(h => !known.Contains(h.HitId)).DistinctBy(h => h.HitId))
        {
            Db.Suggestions.Add(new SuggestedProblem
            {
                Id = Guid.NewGuid(), SourceId = hit.HitId, Origin = SuggestedProblem.DataOrigin, RoundId = m.RoundId, GroupId = m.GroupId,
                TargetId = m.TargetId, Title = AuditFindingSharedConsumer.Clip($"大数据比对：{hit.Rule}", 300), Facts = AuditFindingSharedConsumer.Clip(hit.Summary, 8000),
                Amount = hit.Amount, Status = SuggestionStatus.Open, SuggestedAt = m.FoundAt.ToUniversalTime(),
            });
        }
    }
}
