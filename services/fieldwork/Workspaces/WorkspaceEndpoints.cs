using Xuncha.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Fieldwork.Workspaces;

public static class WorkspaceEndpoints
{
    public sealed record MemberView(Guid CadreId, string Name, string Role);

    public sealed record WorkspaceView(Guid Id, Guid GroupId, string GroupName, Guid RoundId, Guid TargetId, string TargetCode, string Target,
        string TargetKind, string Jurisdiction, DateOnly StartsOn, DateOnly EndsOn, DateTimeOffset OpenedAt, DateTimeOffset? CompletedAt,
        IReadOnlyList<MemberView> Members, string? MyRole);

    internal static WorkspaceView View(Workspace w, string subject) => new(w.Id, w.GroupId, w.Group.Name, w.RoundId, w.TargetId, w.TargetCode,
        w.DisplayName, w.TargetKind, w.Jurisdiction, w.StartsOn, w.EndsOn, w.OpenedAt, w.CompletedAt,
        [.. w.Group.Members.Select(m => new MemberView(m.CadreId, m.Name, m.Role))], w.Group.MemberFor(subject)?.Role);

    public static RouteGroupBuilder MapWorkspaces(this WebApplication app)
    {
        var workspaces = app.MapGroup("/workspaces").RequireAuthorization().WithTags("巡察工作台");
        workspaces.MapGet("/", async (HttpContext http, FieldworkDb db, CancellationToken ct) =>
        {
            var subject = http.User.Subject();
            return Results.Ok((await db.VisibleWorkspacesAsync(http.User, ct)).Select(w => View(w, subject)));
        });
        workspaces.MapGet("/{id:guid}", async (Guid id, HttpContext http, FieldworkDb db, CancellationToken ct) =>
            await db.FindWorkspaceAsync(http.User, id, ct) is { } caller ? Results.Ok(View(caller.Workspace, caller.Subject)) : Problems.NotFound("No workspace with that id is visible to you."));
        return workspaces;
    }
}
