using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Data;
using Xuncha.Staffing.Groups;

namespace Xuncha.Staffing.Cards;

public static class CardEndpoints
{
    public sealed record PledgeRequest(bool Accept);

    public static void MapCards(this WebApplication app)
    {
        app.MapGet("/post-templates", () => TypedResults.Ok(PostTemplates.All)).WithTags("Cards").RequireRoles(StaffingAccess.PoolRoles);
        var cards = app.MapGroup("").WithTags("Cards");
        cards.MapGet("/groups/{groupId:guid}/cards", ForGroup).RequireRoles(StaffingAccess.PoolRoles);
        cards.MapGet("/groups/{groupId:guid}/cards/{cadreId:guid}", Get);
        cards.MapGet("/groups/{groupId:guid}/cards/{cadreId:guid}/document", Document);
        cards.MapPost("/groups/{groupId:guid}/cards/{cadreId:guid}/pledge", Pledge);
        cards.MapGet("/my/cards", Mine);
    }

    /// <summary>
    /// Need-to-know on cards: the office and organisation department see every card of groups in their jurisdiction;
    /// a member sees only their own (the token's sub is the cadre's account).
    /// </summary>
    private static async Task<(ResponsibilityCard? Card, bool Own)> FindVisible(HttpContext http, StaffingDb db, Guid groupId, Guid cadreId, CancellationToken ct)
    {
        var card = await db.Cards.FirstOrDefaultAsync(c => c.GroupId == groupId && c.CadreId == cadreId, ct);
        if (card is null) return (null, false);
        var own = await db.Cadres.AnyAsync(c => c.Id == cadreId && c.AccountSubject != null && c.AccountSubject == http.User.Subject(), ct);
        if (own) return (card, true);
        if (!http.User.HasAnyRole(StaffingAccess.PoolRoles)) return (null, false);
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct);
        return group is not null && http.User.Oversees(group.JurisdictionPath) ? (card, false) : (null, false);
    }

    private static async Task<IResult> ForGroup(Guid groupId, HttpContext http, StaffingDb db, CancellationToken ct)
    {
        if (await GroupEndpoints.FindVisible(http, db, groupId, ct) is null) return Problems.NotFound($"No group {groupId} in your jurisdiction.");
        return TypedResults.Ok(await db.Cards.AsNoTracking().Where(c => c.GroupId == groupId).OrderBy(c => c.CadreName).ToListAsync(ct));
    }

    private static async Task<IResult> Get(Guid groupId, Guid cadreId, HttpContext http, StaffingDb db, CancellationToken ct) =>
        (await FindVisible(http, db, groupId, cadreId, ct)).Card is { } card ? TypedResults.Ok(card) : Problems.NotFound("No such card you may see.");

    private static async Task<IResult> Document(Guid groupId, Guid cadreId, HttpContext http, StaffingDb db, CancellationToken ct) =>
        (await FindVisible(http, db, groupId, cadreId, ct)).Card is { } card
            ? TypedResults.File(CardDocument.Render(card), CardDocument.ContentType, $"巡察责任卡-{card.CadreName}.docx")
            : Problems.NotFound("No such card you may see.");

    /// <summary>The integrity pledge is signed by the member in person: only the card's own holder may record it.</summary>
    private static async Task<IResult> Pledge(Guid groupId, Guid cadreId, PledgeRequest request, HttpContext http, StaffingDb db, AuditTrail audit, CancellationToken ct)
    {
        var (card, own) = await FindVisible(http, db, groupId, cadreId, ct);
        if (card is null) return Problems.NotFound("No such card you may see.");
        if (!own) return Problems.Forbidden("Only the member named on the card may sign its integrity pledge.");
        if (!request.Accept) return Problems.Invalid("accept", "the pledge is signed by accepting its wording");
        if (card.Revoked) return Problems.Conflict("The card was revoked: the member no longer holds this seat.");
        if (card.PledgedAt is null)
        {
            card.PledgedAt = DateTimeOffset.UtcNow;
            card.PledgeText = ResponsibilityCard.PledgeWording;
            audit.Record(db, "pledge.signed", "responsibility-card", $"{groupId}/{cadreId}", after: new { card.PledgedAt, card.Post });
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(card);
    }

    private static async Task<IResult> Mine(HttpContext http, StaffingDb db, CancellationToken ct)
    {
        var sub = http.User.Subject();
        var ids = await db.Cadres.Where(c => c.AccountSubject != null && c.AccountSubject == sub).Select(c => c.Id).ToListAsync(ct);
        return TypedResults.Ok(await db.Cards.AsNoTracking().Where(c => ids.Contains(c.CadreId) && !c.Revoked).OrderByDescending(c => c.IssuedAt).ToListAsync(ct));
    }
}
