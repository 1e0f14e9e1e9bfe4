using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;
using Xuncha.Identity.Keys;
using Xuncha.Identity.Tokens;
using Xuncha.Identity.Users;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Identity.Admin;

/// <summary>Administration by platform admins, each confined to their own jurisdiction and what lies below it.</summary>
public static class AdminEndpoints
{
    public sealed record CreateUser(
        [property: Required, RegularExpression("^[a-zA-Z0-9._-]{3,64}$")] string Username,
        [property: Required, StringLength(200, MinimumLength = 10)] string Password,
        [property: Required, StringLength(100, MinimumLength = 1)] string DisplayName,
        [property: Required, StringLength(100, MinimumLength = 1)] string Jurisdiction,
        [property: Required, StringLength(100, MinimumLength = 1)] string Agency,
        string[]? Roles);

    public sealed record RoleGrant([property: Required] string Role);

    public sealed record CreateClient(
        [property: Required, RegularExpression("^[a-z0-9][a-z0-9._-]{2,63}$")] string ClientId,
        [property: Required, StringLength(200, MinimumLength = 1)] string DisplayName,
        [property: Required, StringLength(100, MinimumLength = 1)] string Agency,
        [property: Required, StringLength(100, MinimumLength = 1)] string Jurisdiction,
        [property: Required, MinLength(1)] string[] Grants,
        [property: Required] string[] Scopes,
        string[]? Roles,
        string[]? RedirectUris,
        bool Public = false);

    public sealed record CreateJurisdiction(
        [property: Required, RegularExpression("^[a-z0-9-]{2,100}$")] string Id,
        [property: Required] string ParentId,
        [property: Required, StringLength(100, MinimumLength = 1)] string Name);

    public sealed record UserView(string Id, string Username, string DisplayName, string Jurisdiction, string Agency, IReadOnlyList<string> Roles, bool Disabled);
    public sealed record ClientView(string ClientId, string DisplayName, string Agency, string Jurisdiction, IReadOnlyList<string> Grants, IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles, bool Disabled);
    /// <summary>A client secret as issued: shown in this response only, kept as a hash.</summary>
    public sealed record IssuedSecret(string ClientId, string ClientSecret);

    private static readonly string[] Grants = ["client_credentials", "authorization_code", "refresh_token"];

    public static void MapAdmin(this WebApplication app)
    {
        // The identity.admin scope too: an admin's sign-in token for some application (openid) must not work here.
        var admin = app.MapGroup("/admin").RequireAuthorization(p => p.RequireRole(PlatformRoles.PlatformAdmin).RequireClaim("aud", "xuncha.identity")
            .RequireAssertion(c => ApiScopes.Parse(c.User.FindFirst("scope")?.Value).Contains(ApiScopes.IdentityAdmin)));
        // A token outlives a decision to disable its holder by up to its lifetime: the admin API checks the holder now.
        admin.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var sub = http.User.FindFirst("sub")?.Value ?? "";
            var db = http.RequestServices.GetRequiredService<IdentityDb>();
            var user = await http.RequestServices.GetRequiredService<UserManager<PlatformUser>>().FindByIdAsync(sub);
            var active = user is not null
                ? !user.Disabled
                : await db.Clients.AnyAsync(c => c.ClientId == sub && !c.Disabled, http.RequestAborted);
            return active
                ? await next(context)
                : TypedResults.Problem("The administrator's account or client is disabled.", statusCode: StatusCodes.Status403Forbidden, title: "账户已停用");
        });
        admin.MapGet("/users", ListUsers);
        admin.MapPost("/users", AddUser);
        admin.MapPost("/users/{username}/disable", (string username, AdminContext c) => SetDisabled(username, true, c));
        admin.MapPost("/users/{username}/enable", (string username, AdminContext c) => SetDisabled(username, false, c));
        admin.MapPost("/users/{username}/roles", GrantRole);
        admin.MapDelete("/users/{username}/roles/{role}", RevokeRole);
        admin.MapGet("/clients", ListClients);
        admin.MapPost("/clients", AddClient);
        admin.MapPost("/clients/{clientId}/secret", RotateSecret);
        admin.MapPost("/clients/{clientId}/disable", DisableClient);
        admin.MapGet("/jurisdictions", async (AdminContext c) => TypedResults.Ok(await c.Db.Jurisdictions.AsNoTracking().OrderBy(j => j.Id).ToListAsync(c.Ct)));
        admin.MapPost("/jurisdictions", AddJurisdiction);
        admin.MapPost("/signing-keys/rotate", async (SigningKeyStore keys, AdminContext c) =>
        {
            var key = await keys.RotateAsync(c.Ct);
            c.Audit.Record(c.Db, "signing_key.rotated", "signing_key", key.KeyId, after: new { key.KeyId, key.ActivatesAt });
            await c.Db.SaveChangesAsync(c.Ct);
            return TypedResults.Ok(new { kid = key.KeyId, activatesAt = key.ActivatesAt });
        });
    }

    private static async Task<Ok<List<UserView>>> ListUsers(AdminContext c)
    {
        var views = new List<UserView>();
        foreach (var u in await c.Users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(c.Ct))
        {
            if (await c.CanManage(u.Jurisdiction))
            {
                views.Add(new UserView(u.Id, u.UserName!, u.DisplayName, u.Jurisdiction, u.Agency, (await c.Users.GetRolesAsync(u)).Order().ToList(), u.Disabled));
            }
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<UserView>, ProblemHttpResult, ValidationProblem>> AddUser(CreateUser request, AdminContext c)
    {
        if (await c.OutsideJurisdiction(request.Jurisdiction) is { } denied) return denied;
        var roles = (request.Roles ?? []).Distinct().ToList();
        if (roles.FirstOrDefault(r => !PlatformRoles.All.Contains(r)) is { } unknown)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["roles"] = [$"Unknown role '{unknown}'."] });
        }
        if (await c.Users.FindByNameAsync(request.Username) is not null)
        {
            return TypedResults.Problem($"User '{request.Username}' already exists.", statusCode: StatusCodes.Status409Conflict, title: "用户已存在");
        }
        var user = new PlatformUser { UserName = request.Username, DisplayName = request.DisplayName, Jurisdiction = request.Jurisdiction, Agency = request.Agency, LockoutEnabled = true };
        await using var tx = await c.Db.Database.BeginTransactionAsync(c.Ct);
        var created = await c.Users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = created.Errors.Select(e => e.Description).ToArray() });
        }
        foreach (var role in roles)
        {
            await c.EnsureRole(role);
            await c.Users.AddToRoleAsync(user, role);
        }
        c.Audit.Record(c.Db, "user.created", "user", user.Id, after: new { user.UserName, user.Jurisdiction, user.Agency, roles });
        await c.Db.SaveChangesAsync(c.Ct);
        await tx.CommitAsync(c.Ct);
        return TypedResults.Created($"/admin/users/{user.UserName}", new UserView(user.Id, user.UserName, user.DisplayName, user.Jurisdiction, user.Agency, roles, false));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> SetDisabled(string username, bool disabled, AdminContext c)
    {
        var user = await c.Users.FindByNameAsync(username);
        if (user is null) return TypedResults.NotFound();
        if (await c.OutsideJurisdiction(user.Jurisdiction) is { } denied) return denied;
        user.Disabled = disabled;
        c.Audit.Record(c.Db, disabled ? "user.disabled" : "user.enabled", "user", user.Id);
        await c.Users.UpdateAsync(user);
        // A disabled user's refresh tokens stop working at once; access tokens expire within minutes.
        if (disabled)
        {
            await c.Db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTimeOffset.UtcNow), c.Ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult, ValidationProblem>> GrantRole(string username, RoleGrant grant, AdminContext c)
    {
        if (!PlatformRoles.All.Contains(grant.Role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"Unknown role '{grant.Role}'."] });
        }
        var user = await c.Users.FindByNameAsync(username);
        if (user is null) return TypedResults.NotFound();
        if (await c.OutsideJurisdiction(user.Jurisdiction) is { } denied) return denied;
        if (!await c.Users.IsInRoleAsync(user, grant.Role))
        {
            await c.EnsureRole(grant.Role);
            await c.Users.AddToRoleAsync(user, grant.Role);
            c.Audit.Record(c.Db, "user.role_granted", "user", user.Id, after: new { grant.Role });
            await c.Db.SaveChangesAsync(c.Ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RevokeRole(string username, string role, AdminContext c)
    {
        var user = await c.Users.FindByNameAsync(username);
        if (user is null) return TypedResults.NotFound();
        if (await c.OutsideJurisdiction(user.Jurisdiction) is { } denied) return denied;
        if (await c.Users.IsInRoleAsync(user, role))
        {
            await c.Users.RemoveFromRoleAsync(user, role);
            c.Audit.Record(c.Db, "user.role_revoked", "user", user.Id, before: new { role });
            await c.Db.SaveChangesAsync(c.Ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<ClientView>>> ListClients(AdminContext c)
    {
        var views = new List<ClientView>();
        foreach (var x in await c.Db.Clients.AsNoTracking().OrderBy(x => x.ClientId).ToListAsync(c.Ct))
        {
            if (await c.CanManage(x.Jurisdiction))
            {
                views.Add(new ClientView(x.ClientId, x.DisplayName, x.Agency, x.Jurisdiction, x.AllowedGrants, x.AllowedScopes, x.Roles, x.Disabled));
            }
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<IssuedSecret>, ProblemHttpResult, ValidationProblem>> AddClient(CreateClient request, AdminContext c)
    {
        if (await c.OutsideJurisdiction(request.Jurisdiction) is { } denied) return denied;
        var errors = new Dictionary<string, string[]>();
        if (request.Grants.Any(g => !Grants.Contains(g))) errors["grants"] = [$"Allowed grants: {string.Join(", ", Grants)}."];
        if (request.Scopes.Any(s => !ApiScopes.All.Contains(s))) errors["scopes"] = ["Unknown scope."];
        if ((request.Roles ?? []).Any(r => !PlatformRoles.All.Contains(r))) errors["roles"] = ["Unknown role."];
        if ((request.RedirectUris ?? []).Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var parsed) || parsed.Fragment.Length > 0)) errors["redirectUris"] = ["Absolute URIs without fragment."];
        if (request.Public && request.Grants.Contains("client_credentials")) errors["public"] = ["A public client cannot use client_credentials."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await c.Db.Clients.AnyAsync(x => x.ClientId == request.ClientId, c.Ct))
        {
            return TypedResults.Problem($"Client '{request.ClientId}' already exists.", statusCode: StatusCodes.Status409Conflict, title: "客户端已存在");
        }
        var secret = request.Public ? null : ApiClient.NewSecret();
        c.Db.Clients.Add(new ApiClient
        {
            ClientId = request.ClientId, DisplayName = request.DisplayName, Agency = request.Agency, Jurisdiction = request.Jurisdiction,
            SecretHash = secret is null ? null : ApiClient.Hash(secret), AllowedGrants = [.. request.Grants.Distinct()], AllowedScopes = [.. request.Scopes.Distinct()],
            Roles = [.. (request.Roles ?? []).Distinct()], RedirectUris = [.. request.RedirectUris ?? []], CreatedAt = DateTimeOffset.UtcNow,
        });
        c.Audit.Record(c.Db, "client.created", "client", request.ClientId, after: request with { });
        await c.Db.SaveChangesAsync(c.Ct);
        // The secret is shown this once; only its hash is kept.
        return TypedResults.Created($"/admin/clients/{request.ClientId}", new IssuedSecret(request.ClientId, secret ?? ""));
    }

    private static async Task<Results<Ok<IssuedSecret>, NotFound, ProblemHttpResult>> RotateSecret(string clientId, AdminContext c)
    {
        var client = await c.Db.Clients.SingleOrDefaultAsync(x => x.ClientId == clientId, c.Ct);
        if (client is null) return TypedResults.NotFound();
        if (await c.OutsideJurisdiction(client.Jurisdiction) is { } denied) return denied;
        if (client.IsPublic) return TypedResults.Problem("A public client has no secret.", statusCode: StatusCodes.Status409Conflict);
        var secret = ApiClient.NewSecret();
        client.SecretHash = ApiClient.Hash(secret);
        client.SecretRotatedAt = DateTimeOffset.UtcNow;
        c.Audit.Record(c.Db, "client.secret_rotated", "client", clientId);
        await c.Db.SaveChangesAsync(c.Ct);
        return TypedResults.Ok(new IssuedSecret(clientId, secret));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DisableClient(string clientId, AdminContext c)
    {
        var client = await c.Db.Clients.SingleOrDefaultAsync(x => x.ClientId == clientId, c.Ct);
        if (client is null) return TypedResults.NotFound();
        if (await c.OutsideJurisdiction(client.Jurisdiction) is { } denied) return denied;
        client.Disabled = true;
        c.Audit.Record(c.Db, "client.disabled", "client", clientId);
        await c.Db.SaveChangesAsync(c.Ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<Jurisdiction>, ProblemHttpResult>> AddJurisdiction(CreateJurisdiction request, AdminContext c)
    {
        if (await c.OutsideJurisdiction(request.ParentId) is { } denied) return denied;
        if (await c.Db.Jurisdictions.AnyAsync(j => j.Id == request.Id, c.Ct))
        {
            return TypedResults.Problem($"Jurisdiction '{request.Id}' already exists.", statusCode: StatusCodes.Status409Conflict);
        }
        var j = new Jurisdiction { Id = request.Id, ParentId = request.ParentId, Name = request.Name };
        c.Db.Jurisdictions.Add(j);
        c.Audit.Record(c.Db, "jurisdiction.created", "jurisdiction", j.Id, after: j);
        await c.Db.SaveChangesAsync(c.Ct);
        return TypedResults.Created($"/admin/jurisdictions/{j.Id}", j);
    }
}

/// <summary>What every admin operation needs, and the jurisdiction rule they all apply.</summary>
public sealed class AdminContext(IdentityDb db, UserManager<PlatformUser> users, RoleManager<IdentityRole> roles, AuditTrail audit, IHttpContextAccessor http)
{
    public IdentityDb Db { get; } = db;
    public UserManager<PlatformUser> Users { get; } = users;
    public AuditTrail Audit { get; } = audit;
    public CancellationToken Ct => http.HttpContext?.RequestAborted ?? CancellationToken.None;
    private string AdminJurisdiction => http.HttpContext?.User.FindFirst("jurisdiction")?.Value ?? "";

    public Task<bool> CanManage(string jurisdiction) => JurisdictionTree.IsWithinAsync(Db, jurisdiction, AdminJurisdiction, Ct);

    public async Task<ProblemHttpResult?> OutsideJurisdiction(string jurisdiction) =>
        await CanManage(jurisdiction)
            ? null
            : TypedResults.Problem($"Jurisdiction '{jurisdiction}' is outside your own ({AdminJurisdiction}).", statusCode: StatusCodes.Status403Forbidden, title: "超出管辖范围");

    public async Task EnsureRole(string role)
    {
        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
    }
}
