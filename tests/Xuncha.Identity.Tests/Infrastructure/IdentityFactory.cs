using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Xuncha.Identity.Tests.Infrastructure;

/// <summary>
/// The identity service in-process. Unlike <c>ServiceFactory</c> it does not swap in the test token key: identity
/// validates its own tokens from its key store, which is what these tests are about.
/// </summary>
public sealed class IdentityFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (clock is not null)
        {
            builder.ConfigureTestServices(s => s.AddSingleton(clock));
        }
    }
}
