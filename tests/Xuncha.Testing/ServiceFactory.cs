using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Xuncha.Testing;

/// <summary>
/// A service in-process against the real servers: its database connection, the broker's virtual host and any
/// settings are given as configuration, exactly as the apphost would give them. By default it trusts the test token
/// key; with <paramref name="trustTestTokens"/> false it validates real tokens from Identity:Url.
/// </summary>
public class ServiceFactory<TProgram>(IReadOnlyDictionary<string, string?> settings, bool trustTestTokens = true) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (trustTestTokens)
        {
            builder.ConfigureTestServices(s => s.TrustTestTokens());
        }
    }
}
