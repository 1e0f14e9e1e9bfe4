using System.Globalization;

namespace Xuncha.Gateway.Routing;

/// <summary>
/// Where each service runs, read Aspire-style from <c>services:&lt;name&gt;:http:0</c>, <c>…:1</c>, … so the apphost and
/// Kubernetes configure the gateway the same way. A service without an address is not deployed (yet).
/// </summary>
public sealed class Upstreams(IReadOnlyDictionary<string, IReadOnlyList<string>> addresses)
{
    public const string Identity = "identity";

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Addresses { get; } = addresses;

    public bool IsDeployed(string service) => Addresses.ContainsKey(service);

    public static Upstreams From(IConfiguration configuration)
    {
        var addresses = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var service in PlatformApi.All.Select(a => a.Name).Append(Identity))
        {
            var list = configuration.GetSection($"services:{service}:http").GetChildren()
                .Where(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _) && !string.IsNullOrWhiteSpace(c.Value))
                .OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture))
                .Select(c => c.Value!)
                .ToList();
            if (list.Count > 0)
            {
                addresses[service] = list;
            }
        }
        return new Upstreams(addresses);
    }
}
