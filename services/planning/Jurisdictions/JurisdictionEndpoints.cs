using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Access;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Jurisdictions;

public static class JurisdictionEndpoints
{
    public sealed record CreateJurisdiction(
        [property: Required, RegularExpression(Codes.Pattern)] string Id,
        [property: RegularExpression(Codes.Pattern)] string? ParentId,
        [property: Required, StringLength(100, MinimumLength = 1)] string Name,
        JurisdictionLevel Level);

    /// <summary>A node of the tree city → county → township → village.</summary>
    public sealed record TreeNode(string Id, string Name, string Level, Guid? TargetId, List<TreeNode> Children);

    public static void MapJurisdictions(this WebApplication app)
    {
        var group = app.MapGroup("/jurisdictions").WithTags("Jurisdictions");
        group.MapGet("/", List).RequireRoles(Need.SubtreeReaders);
        group.MapPost("/", Create).RequireRoles(PlatformRoles.OfficeCoordinator);
        group.MapGet("/{id}/tree", Tree).RequireRoles(Need.SubtreeReaders);
    }

    private static async Task<IResult> List(ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var mine = user.Jurisdiction();
        var list = await db.Jurisdictions.AsNoTracking().Where(j => j.Path.Contains(mine)).OrderBy(j => j.Path.Length).ThenBy(j => j.Id).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> Create(CreateJurisdiction request, ClaimsPrincipal user, PlanningDb db, AuditTrail audit, CancellationToken ct)
    {
        string[] path;
        if (request.ParentId is null)
        {
            // A root is created only by the office of that very jurisdiction (first set-up of a city).
            if (request.Id != user.Jurisdiction()) return Problems.Forbidden("Only the jurisdiction's own office may create it as a root.");
            path = [request.Id];
        }
        else
        {
            var parent = await db.Jurisdictions.AsNoTracking().SingleOrDefaultAsync(j => j.Id == request.ParentId, ct);
            if (parent is null) return Problems.Invalid("parentId", $"Jurisdiction '{request.ParentId}' does not exist.");
            if (!user.Edits(parent.Path)) return Problems.Forbidden("The parent jurisdiction is outside yours.");
            if (request.Level <= parent.Level) return RuleProblem.Of("jurisdiction-level", $"A {request.Level} cannot sit under a {parent.Level}.");
            path = [.. parent.Path, request.Id];
        }
        if (await db.Jurisdictions.AnyAsync(j => j.Id == request.Id, ct) || await db.Targets.AnyAsync(t => t.Code == request.Id, ct))
        {
            return Problems.Conflict($"The code '{request.Id}' is taken.");
        }
        var jurisdiction = new Jurisdiction { Id = request.Id, ParentId = request.ParentId, Name = request.Name, Level = request.Level, Path = path };
        db.Jurisdictions.Add(jurisdiction);
        audit.Record(db, "jurisdiction.created", "jurisdiction", jurisdiction.Id, after: jurisdiction);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/jurisdictions/{jurisdiction.Id}", jurisdiction);
    }

    private static async Task<IResult> Tree(string id, ClaimsPrincipal user, PlanningDb db, CancellationToken ct)
    {
        var root = await db.Jurisdictions.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (root is null || !user.ReadsSubtree(root.Path)) return Problems.NotFound($"Jurisdiction '{id}'");
        var jurisdictions = await db.Jurisdictions.AsNoTracking().Where(j => j.Path.Contains(id)).ToListAsync(ct);
        var places = await db.Targets.AsNoTracking()
            .Where(t => t.JurisdictionPath.Contains(id) && t.Kind != TargetKind.CountyDepartment)
            .Select(t => new { t.Id, t.Code, t.ParentCode, t.Name, t.Kind }).ToListAsync(ct);

        var nodes = jurisdictions.ToDictionary(j => j.Id, j => new TreeNode(j.Id, j.Name, Codes.Of(j.Level), null, []));
        foreach (var p in places) nodes[p.Code] = new TreeNode(p.Code, p.Name, p.Kind.Code(), p.Id, []);
        foreach (var j in jurisdictions.Where(j => j.Id != id && j.ParentId is not null && nodes.ContainsKey(j.ParentId))) nodes[j.ParentId!].Children.Add(nodes[j.Id]);
        foreach (var p in places.OrderBy(p => p.Code, StringComparer.Ordinal))
        {
            if (p.ParentCode is not null && nodes.TryGetValue(p.ParentCode, out var parent)) parent.Children.Add(nodes[p.Code]);
        }
        return TypedResults.Ok(nodes[id]);
    }
}
