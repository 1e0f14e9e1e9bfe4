using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Xuncha.Identity.Admin;
using Xuncha.Identity.Discovery;
using Xuncha.Identity.Authorize;
using Xuncha.Identity.Data;
using Xuncha.Identity.Keys;
using Xuncha.Identity.Seed;
using Xuncha.Identity.Tokens;
using Xuncha.Identity.Users;

namespace Xuncha.Identity;

public static class IdentitySetup
{
    public static IHostApplicationBuilder AddTokenService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<TokenServiceOptions>(builder.Configuration.GetSection("Identity"));
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<TokenIssuer>();
        services.AddScoped<AdminContext>();
        services.AddHostedService<TokenHousekeeping>();
        services.AddIdentityRateLimits();
        services.AddAntiforgery(o => o.Cookie.Path = "/connect");
        services.AddSingleton<KeyEncryption>();
        // Data-protection keys (behind the sign-in cookie and antiforgery tokens) are sealed like the signing keys.
        services.AddDataProtection().SetApplicationName("xuncha-identity").PersistKeysToDbContext<IdentityDb>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new SealedXmlEncryptor(sp.GetRequiredService<KeyEncryption>())));

        services.AddIdentityCore<PlatformUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<IdentityDb>();

        services.AddAuthentication().AddCookie(AuthorizeEndpoints.LoginScheme, o =>
        {
            o.Cookie.Name = "xuncha.login";
            o.Cookie.Path = "/connect";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = false;
        });

        // The identity service validates its own tokens (admin API, userinfo) from its key store, not by fetching its own discovery.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyStore, IOptions<TokenServiceOptions>>((o, keys, options) =>
            {
                o.MetadataAddress = null!;
                o.Authority = null;
                o.TokenValidationParameters.ValidIssuer = options.Value.Issuer;
                o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.ValidationKeysAsync().GetAwaiter().GetResult();
            });
        return builder;
    }

    /// <summary>After migrations, before serving: a signing key exists, and in Development the demo accounts do.</summary>
    public static async Task PrepareAsync(IServiceProvider services)
    {
        await services.GetRequiredService<SigningKeyStore>().EnsureKeyAsync();
        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            await DevelopmentSeed.RunAsync(services);
        }
    }

    public static WebApplication MapTokenService(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapDiscovery();
        app.MapTokenEndpoint();
        app.MapSessionEndpoints();
        app.MapAuthorize();
        app.MapAdmin();
        return app;
    }
}
