using MassTransit;
using Xuncha.Clues.Data;
using Xuncha.Clues.Handling;
using Xuncha.Contracts.Fieldwork;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Clues.Registry;

/// <summary>A clue raised in fieldwork enters the registry unclassified; the clue officer classifies it before assessment.</summary>
public sealed class ClueRaisedConsumer(CluesDb db) : IdempotentConsumer<ClueRaised, CluesDb>(db)
{
    protected override async Task Handle(ConsumeContext<ClueRaised> context)
    {
        var m = context.Message;
        // The inbox stops redeliveries; the id check also stops a re-raise of the same clue under a new message id.
        if (await Db.Clues.FindAsync([m.ClueId], context.CancellationToken) is not null)
        {
            return;
        }
        Db.Clues.Add(new Clue
        {
            Id = m.ClueId, RoundId = m.RoundId, GroupId = m.GroupId, TargetId = m.TargetId, TargetName = Clip(m.TargetName, 200),
            Jurisdiction = m.Jurisdiction, JurisdictionPath = [.. m.JurisdictionPath], OwnerPath = Clue.OwnerPathOf(m.Jurisdiction, m.JurisdictionPath),
            InvolvedPersons = [.. m.InvolvedPersons], Category = AllegationCategory.Unclassified, Summary = Clip(m.Allegation, 4000),
            EvidenceReferences = [.. m.EvidenceReferences], Source = Terms.TryParse<ClueSource>(m.Source, out var source) ? source : ClueSource.Other,
            Sensitivity = Sensitivity.Ordinary, RaisedAt = m.RaisedAt, RegisteredBy = "fieldwork",
            Status = ClueStatus.Registered, UpdatedAt = m.RaisedAt,
        });
        Db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, Actor = "fieldwork", Action = "clue.registered", EntityType = "clue", EntityId = m.ClueId.ToString(),
            Reason = "ClueRaised", TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
        });
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
