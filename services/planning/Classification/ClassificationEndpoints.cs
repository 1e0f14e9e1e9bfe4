using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Targets;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Classification;

public static class ClassificationEndpoints
{
    public sealed record RulesRequest(
        [property: Range(0, 999_999_999_999)] decimal EconomicSizeAtLeast,
        [property: Range(1, 100_000)] int PetitionsAtLeast,
        [property: Range(1, 100_000)] int ProjectsAtLeast,
        [property: Range(0, 999_999_999_999)] decimal SpecialFundsAtLeast,
        bool WeakPartyOrganisationIsKey,
        bool DataAnomalyIsKey,
        InspectionMode KeyVillageMode,
        [property: Required, StringLength(2000, MinimumLength = 2)] string Reason,
        uint? Version);

    /// <summary>Key = null withdraws the override; the reason is required either way.</summary>
    public sealed record OverrideRequest(bool? Key, [property: Required, StringLength(500, MinimumLength = 2)] string Reason);

    private static readonly InspectionMode[] KeyModes = [InspectionMode.CountyDirect, InspectionMode.CityDirect, InspectionMode.Cross, InspectionMode.Escalated];

    public static void MapClassification(this WebApplication app)
    {
        var group = app.MapGroup("/classification").WithTags("Classification");
        group.MapGet("/rules/{jurisdiction}", GetRules).RequireRoles(Need.SubtreeReaders);
        group.MapPut("/rules/{jurisdiction}", PutRules).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapGet("/villages", Villages).RequireRoles(Need.SubtreeReaders);
        app.MapGet("/targets/{id:guid}/classification", ForTarget).WithTags("Classification").RequireRoles(Need.SubtreeReaders);
        app.MapPut("/targets/{id:guid}/classification", Override).WithTags("Classification").RequireRoles(PlatformRoles.OfficeCoordinator);
    }

    private static async Task<IResult> GetRules(string jurisdiction, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var j = await db.Jurisdictions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == jurisdiction, ct);
        if (j is null || !user.ReadsSubtree(j.Path)) return Problems.NotFound($"Jurisdiction '{jurisdiction}'");
        return TypedResults.Ok(VillageClassifier.RulesFor(j.Path, await db.RuleSets.AsNoTracking().ToListAsync(ct)));
    }

    private static async Task<IResult> PutRules(string jurisdiction, RulesRequest request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var j = await db.Jurisdictions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == jurisdiction, ct);
        if (j is null || !user.Edits(j.Path)) return Problems.NotFound($"Jurisdiction '{jurisdiction}'");
        if (!KeyModes.Contains(request.KeyVillageMode))
        {
            return Problems.Invalid("keyVillageMode", "Key villages are inspected directly, by cross or by escalated inspection (county-direct, city-direct, cross, escalated).");
        }
        var rules = await db.RuleSets.SingleOrDefaultAsync(r => r.Jurisdiction == jurisdiction, ct);
        object? before = null;
        if (rules is null)
        {
            rules = new ClassificationRuleSet { Jurisdiction = jurisdiction, JurisdictionPath = j.Path };
            db.RuleSets.Add(rules);
        }
        else
        {
            if (request.Version is { } v && v != rules.Version) return Problems.Conflict("The rules were changed by someone else; reload them and try again.");
            before = new { rules.EconomicSizeAtLeast, rules.PetitionsAtLeast, rules.ProjectsAtLeast, rules.SpecialFundsAtLeast, rules.WeakPartyOrganisationIsKey, rules.DataAnomalyIsKey, rules.KeyVillageMode };
        }
        rules.EconomicSizeAtLeast = request.EconomicSizeAtLeast;
        rules.PetitionsAtLeast = request.PetitionsAtLeast;
        rules.ProjectsAtLeast = request.ProjectsAtLeast;
        rules.SpecialFundsAtLeast = request.SpecialFundsAtLeast;
        rules.WeakPartyOrganisationIsKey = request.WeakPartyOrganisationIsKey;
        rules.DataAnomalyIsKey = request.DataAnomalyIsKey;
        rules.KeyVillageMode = request.KeyVillageMode;
        rules.UpdatedAt = DateTimeOffset.UtcNow;
        rules.UpdatedBy = user.Subject();
        audit.Record(db, "classification.rules-set", "classification_rules", jurisdiction, before,
            new { rules.EconomicSizeAtLeast, rules.PetitionsAtLeast, rules.ProjectsAtLeast, rules.SpecialFundsAtLeast, rules.WeakPartyOrganisationIsKey, rules.DataAnomalyIsKey, rules.KeyVillageMode },
            request.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(rules);
    }

    /// <summary>Every village under <paramref name="under"/> (a county or township code) with its classification.</summary>
    private static async Task<IResult> Villages(string under, bool? keyOnly, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var villages = await TargetEndpoints.Visible(db, user, TargetKind.Village, null, under, null).OrderBy(t => t.Code).Take(20_000).ToListAsync(ct);
        var ruleSets = await db.RuleSets.AsNoTracking().ToListAsync(ct);
        var results = villages.Select(v => VillageClassifier.Classify(v, VillageClassifier.RulesFor(v.JurisdictionPath, ruleSets)))
            .Where(r => keyOnly != true || r.Key).ToList();
        return TypedResults.Ok(new { total = results.Count, key = results.Count(r => r.Key), nonKey = results.Count(r => !r.Key), villages = results });
    }

    private static async Task<IResult> ForTarget(Guid id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var target = await db.Targets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (target is null || !user.ReadsSubtree(target.JurisdictionPath)) return Problems.NotFound($"Target {id}");
        if (target.Kind != TargetKind.Village) return RuleProblem.Of("classification-villages-only", "Key/non-key classification applies to villages and communities.");
        var ruleSets = await db.RuleSets.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(VillageClassifier.Classify(target, VillageClassifier.RulesFor(target.JurisdictionPath, ruleSets)));
    }

    private static async Task<IResult> Override(Guid id, OverrideRequest request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        var target = await db.Targets.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (target is null || !user.Edits(target.JurisdictionPath)) return Problems.NotFound($"Target {id}");
        if (target.Kind != TargetKind.Village) return RuleProblem.Of("classification-villages-only", "Key/non-key classification applies to villages and communities.");
        var before = new { key = target.OverrideKey, reason = target.OverrideReason };
        target.OverrideKey = request.Key;
        target.OverrideReason = request.Key is null ? null : request.Reason.Trim();
        target.OverrideBy = request.Key is null ? null : user.Subject();
        target.OverrideAt = request.Key is null ? null : DateTimeOffset.UtcNow;
        audit.Record(db, request.Key is null ? "classification.override-withdrawn" : "classification.overridden", "target", id.ToString(),
            before, new { key = request.Key }, request.Reason);
        await db.SaveChangesAsync(ct);
        var ruleSets = await db.RuleSets.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(VillageClassifier.Classify(target, VillageClassifier.RulesFor(target.JurisdictionPath, ruleSets)));
    }
}
