using Microsoft.EntityFrameworkCore;
using Xuncha.Rectification.Demo;

namespace Xuncha.Rectification.Tests;

[Collection(Servers.Name)]
public sealed class DemoSeedTests(RectificationServers servers)
{
    [Fact]
    public async Task Demo_seed_is_deterministic_idempotent_and_lines_up_with_the_code_scheme()
    {
        var settings = new Dictionary<string, string?> { ["Demo:Seed"] = "true" };
        await using var first = await RectificationHost.StartAsync(servers.Servers, new DateOnly(2026, 11, 26), settings);
        await using var again = await RectificationHost.StartAsync(servers.Servers, new DateOnly(2026, 11, 26), settings, sharing: first);

        Assert.Equal(7, await first.WithDb(db => db.Cases.CountAsync()));
        Assert.Equal(21, await first.WithDb(db => db.Tasks.CountAsync()));
        var finance = await first.WithDb(db => db.Cases.SingleAsync(c => c.TargetCode == "demo-city-shangzhou-d01"));
        Assert.Equal("商州区财政局", finance.TargetName);
        Assert.Equal(DemoSeed.NameBased("planning-target:demo-city-shangzhou-d01"), finance.TargetId);
        // The unit's own liaison sees its seeded case through the normal access rule.
        using var liaison = first.Liaison("demo-city-shangzhou-d01");
        var view = await first.GetCase(finance.Id, liaison);
        Assert.Equal(3, view.GetProperty("tasks").GetArrayLength());
    }
}
