using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Identity.Keys;
using Xuncha.Identity.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Identity.Tests;

/// <summary>What could forge identity's output is stored sealed with the key-encryption key: a database copy alone gives nothing.</summary>
[Collection(Servers.Name)]
public sealed class KeyStorageTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    private IdentityHost Host => fixture.Host;

    [Fact]
    public async Task Data_protection_keys_are_stored_sealed_and_still_protect_and_unprotect()
    {
        // A sign-in uses the data-protection key ring (antiforgery token, sign-in cookie), creating a key if none exists.
        using var browser = Host.NewBrowser();
        (await browser.SignInForTokensAsync(Seeded.Staff.Username, Seeded.Staff.Password, "openid")).AssertIssued();

        var keys = await Host.WithDb(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains(nameof(SealedXmlDecryptor), xml!);
            Assert.DoesNotContain("<value>", xml!);   // the unsealed form keeps the master key here in base64
        });

        var protector = Host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("key-storage-test");
        Assert.Equal("巡察", protector.Unprotect(protector.Protect("巡察")));
    }

    [Fact]
    public void A_sealed_value_opens_only_with_its_key_and_untouched()
    {
        var encryption = Host.Services.GetRequiredService<KeyEncryption>();
        var sealedValue = encryption.Seal("签名私钥"u8.ToArray());
        Assert.Equal("签名私钥"u8.ToArray(), encryption.Unseal(sealedValue));
        sealedValue[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => encryption.Unseal(sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => encryption.Unseal([1, 2, 3]));
    }
}
