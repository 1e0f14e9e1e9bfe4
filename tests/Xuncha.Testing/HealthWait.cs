using System.Net;

namespace Xuncha.Testing;

public static class HealthWait
{
    /// <summary>Waits until /health reports ready (database reachable, bus endpoints bound): publishing before that could miss queues.</summary>
    public static Task WaitHealthyAsync(this HttpClient client, TimeSpan? timeout = null) =>
        Eventually.Until(
            async () => (await client.GetAsync("/health")).StatusCode,
            s => s == HttpStatusCode.OK,
            timeout ?? TimeSpan.FromSeconds(60),
            "the service to report healthy");
}
