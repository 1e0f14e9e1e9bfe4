using Xuncha.EndToEnd.Tests.OpenApi;
using Xunit.Abstractions;

namespace Xuncha.EndToEnd.Tests.Fuzzing;

/// <summary>
/// Every operation of every OpenAPI document behind the gateway, fed generated malformed and boundary input as the
/// principals its role gate lets through, without a token and with a bad one: never a 5xx, every error in the
/// endpoint's documented error format. The seed (XUNCHA_FUZZ_SEED, else a fixed one) makes every run send the same requests.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class FuzzingTests(E2EPlatform platform, ITestOutputHelper output)
{
    private const int DefaultSeed = 20261126;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("XUNCHA_FUZZ_SEED"), out var s) ? s : DefaultSeed;

    [Fact]
    public async Task Every_operation_answers_malformed_and_boundary_input_without_a_server_error_and_with_a_problem()
    {
        var seed = Seed;
        var catalog = await ApiCatalog.LoadAsync(platform.Gateway);
        var report = await FuzzCampaign.RunAsync(platform.Gateway.BaseAddress!, catalog, await TokensAsync(), seed);
        foreach (var line in report.Summary) output.WriteLine(line);

        Assert.True(report.Sent >= 10_000, $"seed {seed}: only {report.Sent} requests were generated; the catalog has {catalog.Count} operations");
        Assert.True(report.Violations.Count == 0,
            $"seed {seed} (XUNCHA_FUZZ_SEED={seed} replays it): {report.Violations.Count} of {report.Sent} responses broke the rules; statuses {report.Histogram}\n" +
            string.Join("\n", report.Violations.Take(200)) + (report.Violations.Count > 200 ? $"\n… and {report.Violations.Count - 200} more" : ""));
    }

    /// <summary>A token for every candidate (agency clients by client credentials, users by a real sign-in).</summary>
    private async Task<IReadOnlyDictionary<string, string?>> TokensAsync()
    {
        var tokens = new Dictionary<string, string?>
        {
            [Principals.Anonymous] = null,
            [Principals.Garbage] = "garbage.not-a.jwt",
            [Principals.Forged] = Principals.ForgedToken,
        };
        foreach (var candidate in Principals.Candidates)
        {
            if (candidate.StartsWith("client:", StringComparison.Ordinal))
            {
                tokens[candidate] = await platform.ClientTokenAsync(candidate["client:".Length..]);
                continue;
            }
            var user = platform.Credentials.User(candidate);
            // identity.admin only for the platform admin: the admin API ties it to the role anyway.
            var scopes = user.Roles.Contains("platform-admin") ? E2EPlatform.AllScopes + " identity.admin" : E2EPlatform.AllScopes;
            tokens[candidate] = await platform.UserTokenAsync(user.Username, user.Password, scopes);
        }
        return tokens;
    }
}
