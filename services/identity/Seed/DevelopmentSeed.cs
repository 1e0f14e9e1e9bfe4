using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Data;
using Xuncha.Identity.Tokens;
using Xuncha.Identity.Users;
using Xuncha.ServiceDefaults.Authorization;

namespace Xuncha.Identity.Seed;

/// <summary>
/// Development only: the demo city, one user per role and one client per agency, with credentials written to a
/// git-ignored file (never committed, never created outside Development). Re-running keeps the file's credentials.
/// </summary>
public static class DevelopmentSeed
{
    public const string City = "demo-city";

    public sealed record ClientEntry(
        [property: JsonPropertyName("client_id")] string ClientId,
        [property: JsonPropertyName("client_secret")] string ClientSecret,
        [property: JsonPropertyName("agency")] string Agency,
        [property: JsonPropertyName("scopes")] string[] Scopes);

    public sealed record UserEntry(
        [property: JsonPropertyName("username")] string Username,
        [property: JsonPropertyName("password")] string Password,
        [property: JsonPropertyName("roles")] string[] Roles,
        [property: JsonPropertyName("jurisdiction")] string Jurisdiction);

    public sealed record Credentials(
        [property: JsonPropertyName("clients")] List<ClientEntry> Clients,
        [property: JsonPropertyName("users")] List<UserEntry> Users);

    private static readonly string[] ApiScopesAll = [.. ApiScopes.Apis.Keys.Where(s => s != ApiScopes.IdentityAdmin)];

    // Demo jurisdictions: the city and nine counties/districts, as in the articles' scale (seed 002).
    private static readonly (string Id, string Name)[] Counties =
    [
        ("demo-city-shangzhou", "商州区"), ("demo-city-luonan", "洛南县"), ("demo-city-danfeng", "丹凤县"),
        ("demo-city-shangnan", "商南县"), ("demo-city-shanyang", "山阳县"), ("demo-city-zhenan", "镇安县"),
        ("demo-city-zhashui", "柞水县"), ("demo-city-east", "东城区"), ("demo-city-west", "西城区"),
    ];

    // (client, display name, agency, jurisdiction, roles, scopes)
    private static readonly (string Id, string Name, string Agency, string Jurisdiction, string[] Roles, string[] Scopes)[] AgencyClients =
    [
        ("commission-system", "纪委监委案件监督管理室", "discipline-commission", City, [PlatformRoles.CommissionCaseOfficer], ["clues", "rectification", "planning"]),
        ("audit-bureau-system", "审计局", "audit-bureau", City, [PlatformRoles.AuditOfficer], ["audit", "fieldwork", "planning"]),
        ("organisation-dept-system", "组织部", "organisation-department", City, [PlatformRoles.OrganisationDepartment], ["staffing", "planning"]),
        ("county-office-system", "商州区委巡察办", "inspection-office", "demo-city-shangzhou", [PlatformRoles.OfficeCoordinator], ApiScopesAll),
    ];

    public static async Task RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var options = sp.GetRequiredService<IOptions<TokenServiceOptions>>().Value;
        var db = sp.GetRequiredService<IdentityDb>();
        var users = sp.GetRequiredService<UserManager<PlatformUser>>();
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7303)", ct);

        if (!await db.Jurisdictions.AnyAsync(j => j.Id == City, ct))
        {
            db.Jurisdictions.Add(new Jurisdiction { Id = City, Name = "示范市" });
            db.Jurisdictions.AddRange(Counties.Select(c => new Jurisdiction { Id = c.Id, ParentId = City, Name = c.Name }));
            await db.SaveChangesAsync(ct);
        }
        foreach (var role in PlatformRoles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }

        var path = options.DevCredentialsPath;
        var known = path is not null && File.Exists(path) ? JsonSerializer.Deserialize<Credentials>(await File.ReadAllTextAsync(path, ct)) : null;
        var result = new Credentials([], []);

        foreach (var role in PlatformRoles.All)
        {
            var username = "demo." + role;
            var password = known?.Users.FirstOrDefault(u => u.Username == username)?.Password ?? NewPassword();
            var user = await users.FindByNameAsync(username);
            if (user is null)
            {
                user = new PlatformUser { UserName = username, DisplayName = $"演示用户（{role}）", Jurisdiction = City, Agency = AgencyOf(role), LockoutEnabled = true };
                Check(await users.CreateAsync(user, password));
                Check(await users.AddToRoleAsync(user, role));
            }
            else
            {
                Check(await users.RemovePasswordAsync(user));
                Check(await users.AddPasswordAsync(user, password));
            }
            result.Users.Add(new UserEntry(username, password, [role], City));
        }

        foreach (var (id, name, agency, jurisdiction, clientRoles, scopes) in AgencyClients)
        {
            var secret = known?.Clients.FirstOrDefault(c => c.ClientId == id)?.ClientSecret ?? ApiClient.NewSecret();
            var client = await db.Clients.SingleOrDefaultAsync(c => c.ClientId == id, ct);
            if (client is null)
            {
                db.Clients.Add(new ApiClient
                {
                    ClientId = id, DisplayName = name, Agency = agency, Jurisdiction = jurisdiction, SecretHash = ApiClient.Hash(secret),
                    AllowedGrants = ["client_credentials"], AllowedScopes = [.. scopes], Roles = [.. clientRoles], CreatedAt = DateTimeOffset.UtcNow,
                });
            }
            else
            {
                client.SecretHash = ApiClient.Hash(secret);
            }
            result.Clients.Add(new ClientEntry(id, secret, agency, scopes));
        }

        // The browser client of the web front end: public, PKCE, refresh tokens.
        if (!await db.Clients.AnyAsync(c => c.ClientId == "xuncha-web", ct))
        {
            var issuer = options.Issuer.TrimEnd('/');
            db.Clients.Add(new ApiClient
            {
                ClientId = "xuncha-web", DisplayName = "巡察平台网页端", Agency = "inspection-office", Jurisdiction = City,
                AllowedGrants = ["authorization_code", "refresh_token"],
                // identity.admin too: the platform admin works in the same front end (the admin API still demands the role).
                AllowedScopes = [ApiScopes.OpenId, ApiScopes.Profile, ApiScopes.OfflineAccess, ApiScopes.IdentityAdmin, .. ApiScopesAll],
                RedirectUris = [issuer + "/signin-callback", "http://localhost:8080/signin-callback"], CreatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }), ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    private static string AgencyOf(string role) => role switch
    {
        PlatformRoles.CommissionCaseOfficer => "discipline-commission",
        PlatformRoles.AuditOfficer => "audit-bureau",
        PlatformRoles.OrganisationDepartment => "organisation-department",
        PlatformRoles.UnitResponsible or PlatformRoles.UnitLiaison => "inspected-unit",
        PlatformRoles.LeadingGroup => "leading-group",
        _ => "inspection-office",
    };

    // The fixed prefix meets every password rule (upper, lower, digit, symbol) whatever the random part holds.
    private static string NewPassword() => "Xc-9" + ApiClient.Base64Url(RandomNumberGenerator.GetBytes(12));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
