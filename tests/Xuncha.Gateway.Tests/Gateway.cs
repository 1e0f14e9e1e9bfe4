using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xuncha.Testing;

namespace Xuncha.Gateway.Tests;

/// <summary>
/// The gateway in-process on a real Kestrel port, so client addresses, X-Forwarded-*, body limits and connection headers
/// behave as deployed. Backends are given as Aspire-style <c>services:&lt;name&gt;:http:N</c> settings.
/// </summary>
public sealed class Gateway : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> factory;

    private Gateway(WebApplicationFactory<Program> factory)
    {
        this.factory = factory;
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    /// <summary>Starts the gateway; by default it trusts <see cref="TestTokens"/> instead of fetching discovery from Identity:Url.</summary>
    public static Gateway Start(IDictionary<string, string?> settings, bool trustTestTokens = true)
    {
        WebApplicationFactory<Program> factory = trustTestTokens
            ? new ServiceFactory<Program>(settings.AsReadOnly())
            : new UntouchedFactory(settings.AsReadOnly());
        factory.UseKestrel(0);
        factory.StartServer();
        return new Gateway(factory);
    }

    /// <summary>Settings that put each backend behind the gateway as the next instance of its service.</summary>
    public static Dictionary<string, string?> Routes(params EchoBackend[] backends)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var service in backends.GroupBy(b => b.Name.Split('-')[0]))
        {
            var i = 0;
            foreach (var backend in service) settings[$"services:{service.Key}:http:{i++}"] = backend.Url;
        }
        return settings;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), token, configure);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? token = null, Action<HttpRequestMessage>? configure = null)
    {
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        configure?.Invoke(request);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
    }

    /// <summary>The gateway exactly as configured: tokens are checked against the discovery document at Identity:Url.</summary>
    private sealed class UntouchedFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
