using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Data;

namespace Xuncha.Staffing.Avoidance;

/// <summary>Finds the policy that governs a jurisdiction: its own, else the nearest ancestor's, else the configured defaults.</summary>
public sealed class PolicyResolver(StaffingDb db, IOptions<StaffingPolicy> defaults)
{
    public async Task<StaffingPolicy> ForPathAsync(IReadOnlyList<string> jurisdictionPath, CancellationToken ct)
    {
        var own = await db.Policies.AsNoTracking().Where(p => jurisdictionPath.Contains(p.Jurisdiction)).ToListAsync(ct);
        return jurisdictionPath.Reverse().Select(j => own.FirstOrDefault(p => p.Jurisdiction == j)).FirstOrDefault(p => p is not null)
            ?? Defaults(jurisdictionPath.Count > 0 ? jurisdictionPath[^1] : "");
    }

    public StaffingPolicy Defaults(string jurisdiction)
    {
        var copy = defaults.Value.Copy();
        copy.Jurisdiction = jurisdiction;
        return copy;
    }
}

public static class PolicyEndpoints
{
    public sealed record RuleInfo(string Name, string Title, bool PoolWide, bool Quota);

    public static void MapPolicies(this WebApplication app)
    {
        app.MapGet("/avoidance/rules", () => TypedResults.Ok(AvoidanceRules.All.Select(r => new RuleInfo(r.Name, r.Title, r.PoolWide, r.IsQuota))))
            .WithTags("Avoidance").RequireRoles(StaffingAccess.PoolRoles);
        var policies = app.MapGroup("/policies").WithTags("Avoidance").RequireRoles(StaffingAccess.PoolRoles);
        policies.MapGet("/{jurisdiction}", Get);
        policies.MapPut("/{jurisdiction}", Put).RequireRoles(StaffingAccess.OfficeRoles);
    }

    /// <summary>Policies are settings, not personal data: any pool role may read any jurisdiction's.</summary>
    private static async Task<IResult> Get(string jurisdiction, StaffingDb db, PolicyResolver resolver, CancellationToken ct) =>
        TypedResults.Ok(await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Jurisdiction == jurisdiction, ct) ?? resolver.Defaults(jurisdiction));

    /// <summary>Sets a jurisdiction's policy. Only the jurisdiction's own office sets it (a parent's applies below it until then).</summary>
    private static async Task<IResult> Put(string jurisdiction, StaffingPolicy input, string? reason, HttpContext http, StaffingDb db, AuditTrail audit, CancellationToken ct)
    {
        if (http.User.Jurisdiction() != jurisdiction) return Problems.Forbidden("Only the jurisdiction's own office sets its staffing policy.");
        input.RequiredSpecialties ??= [];
        input.DisabledRules ??= [];
        var errors = input.Validate();
        if (errors.Count > 0) return Problems.Invalid(errors);
        var existing = await db.Policies.FirstOrDefaultAsync(p => p.Jurisdiction == jurisdiction, ct);
        if (existing is null)
        {
            input.Jurisdiction = jurisdiction;
            input.UpdatedAt = DateTimeOffset.UtcNow;
            db.Policies.Add(input);
            audit.Record(db, "policy.created", "policy", jurisdiction, after: input, reason: reason);
        }
        else
        {
            var before = existing.Copy();
            input.Jurisdiction = jurisdiction;
            db.Entry(existing).Property(p => p.Version).OriginalValue = input.Version;
            db.Entry(existing).CurrentValues.SetValues(input);
            existing.Jurisdiction = jurisdiction;
            existing.RequiredSpecialties = [.. input.RequiredSpecialties];
            existing.DisabledRules = [.. input.DisabledRules];
            existing.UpdatedAt = DateTimeOffset.UtcNow;
            audit.Record(db, "policy.updated", "policy", jurisdiction, before, existing, reason);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await db.Policies.AsNoTracking().FirstAsync(p => p.Jurisdiction == jurisdiction, ct));
    }
}
