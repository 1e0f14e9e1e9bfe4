using Microsoft.EntityFrameworkCore;
using Xuncha.Staffing.Data;
using Xuncha.Staffing.Groups;

namespace Xuncha.Staffing.Cards;

/// <summary>Keeps each confirmed group's responsibility cards in step with its seats: new seat, new card; changed post, re-issued; seat gone, revoked.</summary>
public static class CardIssuer
{
    public static async Task SyncAsync(StaffingDb db, InspectionGroup group, CancellationToken ct)
    {
        var cards = await db.Cards.Where(c => c.GroupId == group.Id).ToListAsync(ct);
        var now = DateTimeOffset.UtcNow;
        foreach (var seat in group.Members)
        {
            var template = PostTemplates.Find(seat.Post) ?? PostTemplates.Find("general")!;
            var card = cards.FirstOrDefault(c => c.CadreId == seat.CadreId);
            if (card is null)
            {
                card = new ResponsibilityCard { GroupId = group.Id, CadreId = seat.CadreId };
                db.Cards.Add(card);
            }
            else if (!card.Revoked && card.Post == template.Key && card.Role == seat.Role)
            {
                continue;
            }
            card.CadreName = seat.Name;
            card.GroupName = group.Name;
            card.Role = seat.Role;
            card.Post = template.Key;
            card.PostTitle = template.Title;
            card.Duties = [.. template.Duties];
            card.Standards = [.. template.Standards];
            card.Accountability = [.. template.Accountability];
            card.Revoked = false;
            card.IssuedAt = now;
            // A new post is a new undertaking: the pledge is signed again.
            card.PledgedAt = null;
            card.PledgeText = null;
        }
        foreach (var card in cards.Where(c => !c.Revoked && group.Members.All(m => m.CadreId != c.CadreId)))
        {
            card.Revoked = true;
        }
    }
}
