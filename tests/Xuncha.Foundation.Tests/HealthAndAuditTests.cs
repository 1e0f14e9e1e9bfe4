using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

[Collection(Servers.Name)]
public sealed class HealthAndAuditTests(PlatformServers servers) : IAsyncLifetime
{
    private TestHostInstance host = null!;

    public async Task InitializeAsync() => host = await TestHostInstance.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Health_and_alive_answer_anonymously_without_internals()
    {
        using var anonymous = host.Factory.CreateClient();
        var health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        var alive = await anonymous.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_service()
    {
        using var anonymous = host.Factory.CreateClient();
        var doc = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/notes\"", doc);
    }

    [Fact]
    public async Task A_change_leaves_an_audit_row_that_cannot_be_altered_or_deleted()
    {
        var response = await host.Client.PostAsJsonAsync("/notes", new { title = "审计", amount = 2 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var entry = await host.WithDb(db => db.Set<AuditEntry>().SingleAsync());
        Assert.Equal("note.recorded", entry.Action);
        Assert.Equal("user-1", entry.Actor);
        Assert.NotNull(entry.TraceId);
        Assert.Contains("审计", entry.After);

        var update = await Assert.ThrowsAsync<PostgresException>(() => host.WithDb(db => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET actor = 'someone else'")));
        Assert.Contains("append-only", update.MessageText);
        var delete = await Assert.ThrowsAsync<PostgresException>(() => host.WithDb(db => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries")));
        Assert.Contains("append-only", delete.MessageText);
        Assert.Equal(1, await host.WithDb(db => db.Set<AuditEntry>().CountAsync()));
    }
}
