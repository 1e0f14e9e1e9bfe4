using ApiProblems = Xuncha.ServiceDefaults.Http.Problems;
using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.AuditLinkage.Rules;

public sealed record RuleChange(string Name, RuleDefinition Definition, bool Enabled = true, string? Reason = null);

/// <summary>The rule library (比对规则库): shared across rounds, read by those who work in audit linkage (not inspected units or other agencies), edited by audit officers and the office.</summary>
public static class RuleEndpoints
{
    public static void MapRules(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/rules").RequireRoles(RoundAccess.LinkageRoles);
        group.MapGet("/", async (AuditDb db, CancellationToken ct) =>
        {
            var all = await db.Rules.AsNoTracking().ToListAsync(ct);
            return TypedResults.Ok(all.GroupBy(r => r.Code).Select(g => g.MaxBy(r => r.Version)!).OrderBy(r => r.Code));
        });
        group.MapGet("/{code}/versions", async (string code, AuditDb db, CancellationToken ct) =>
        {
            var versions = await db.Rules.AsNoTracking().Where(r => r.Code == code).OrderBy(r => r.Version).ToListAsync(ct);
            return versions.Count == 0 ? (IResult)ApiProblems.NotFound("rule", code) : TypedResults.Ok(versions);
        });
        group.MapPut("/{code}", PutAsync).RequireRoles(PlatformRoles.AuditOfficer, PlatformRoles.OfficeCoordinator);
    }

    /// <summary>Adds a version (a new rule starts at 1). Earlier versions stay, and so does every run that used them.</summary>
    private static async Task<IResult> PutAsync(string code, RuleChange change, HttpContext http, AuditDb db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        if (code.Length is 0 or > 100 || !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return ApiProblems.Invalid("code", "1–100 characters: lower-case letters, digits and '-'.");
        if (string.IsNullOrWhiteSpace(change.Name) || change.Name.Length > 200) return ApiProblems.Invalid("name", "1–200 characters.");
        if (change.Reason is { Length: > 1000 }) return ApiProblems.Invalid("reason", "At most 1000 characters.");
        if (change.Definition is null) return ApiProblems.Invalid("definition", "Required.");
        var errors = RuleCompiler.Validate(change.Definition);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors.ToDictionary(e => "definition." + e.Key, e => e.Value));
        }
        var latest = await db.Rules.Where(r => r.Code == code).MaxAsync(r => (int?)r.Version, ct) ?? 0;
        var rule = new RuleVersion
        {
            Code = code, Version = latest + 1, Name = change.Name.Trim(), Definition = change.Definition, Enabled = change.Enabled,
            Reason = change.Reason, CreatedBy = http.User.Subject(), CreatedAt = clock.GetUtcNow(),
        };
        db.Rules.Add(rule);
        audit.Record(db, latest == 0 ? "rule.created" : "rule.revised", "rule", $"{code}/{rule.Version}", after: rule, reason: change.Reason);
        await db.SaveChangesAsync(ct); // a concurrent edit of the same version collides on the key: 409
        return TypedResults.Created($"/rules/{code}/versions", rule);
    }
}
