using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Clients;
using Xuncha.Identity.Keys;
using Xuncha.Identity.Tokens;
using Xuncha.Identity.Users;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Identity.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options)
    : IdentityDbContext<PlatformUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<ApiClient> Clients => Set<ApiClient>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<AuthorizationCode> AuthorizationCodes => Set<AuthorizationCode>();
    public DbSet<Jurisdiction> Jurisdictions => Set<Jurisdiction>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.AddPlatformTables();
        model.Entity<PlatformUser>(e =>
        {
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Agency).HasMaxLength(100);
        });
        model.Entity<ApiClient>(e =>
        {
            e.ToTable("clients");
            e.HasKey(x => x.ClientId);
            e.Property(x => x.ClientId).HasMaxLength(100);
            e.Property(x => x.SecretHash).HasMaxLength(128);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.Agency).HasMaxLength(100);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<SigningKey>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(x => x.KeyId);
            e.Property(x => x.KeyId).HasMaxLength(64);
        });
        model.Entity<RefreshToken>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.FamilyId);
            e.Property(x => x.TokenHash).HasMaxLength(64);
        });
        model.Entity<AuthorizationCode>(e =>
        {
            e.ToTable("authorization_codes");
            e.HasKey(x => x.CodeHash);
            e.Property(x => x.CodeHash).HasMaxLength(64);
        });
        model.Entity<Jurisdiction>(e =>
        {
            e.ToTable("jurisdictions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(100);
            e.Property(x => x.ParentId).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(100);
        });
    }
}
