using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xuncha.Foundation.TestHost.Notes;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

[Collection(Servers.Name)]
public sealed class ErrorQueueTests(PlatformServers servers) : IAsyncLifetime
{
    private TestHostInstance host = null!;

    public async Task InitializeAsync() => host = await TestHostInstance.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<List<ErrorQueueCount>> ErrorCounts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ops/error-queues");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHostInstance.Token([PlatformRoles.PlatformAdmin]));
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<ErrorQueueCount>>())!;
    }

    [Fact]
    public async Task A_poison_message_ends_in_the_error_queue_after_retries_and_is_counted()
    {
        var before = await ErrorCounts();
        Assert.Contains(before, q => q.Queue.EndsWith("poison-pill_error") && q.Messages == 0);

        await host.Factory.Services.GetRequiredService<IBus>().Publish(new PoisonPill { Id = Guid.NewGuid() });

        var after = await Eventually.Until(ErrorCounts, c => c.Any(q => q.Queue.EndsWith("poison-pill_error") && q.Messages == 1),
            TimeSpan.FromSeconds(30), "the poison message in the error queue");
        Assert.All(after.Where(q => !q.Queue.EndsWith("poison-pill_error")), q => Assert.Equal(0u, q.Messages));
    }

    [Fact]
    public async Task The_error_queue_count_is_for_operators_only()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ops/error-queues");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHostInstance.Token([PlatformRoles.GroupMember]));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(request)).StatusCode);
    }
}
