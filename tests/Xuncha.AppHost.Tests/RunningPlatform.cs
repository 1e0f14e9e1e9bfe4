namespace Xuncha.AppHost.Tests;

/// <summary>One apphost run shared by the tests that look at a running platform.</summary>
public sealed class RunningPlatform : IAsyncLifetime
{
    public AppHostRun Run { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Run = await AppHostRun.StartAsync();
        await Run.WaitUpAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync() => await Run.DisposeAsync();
}

// The apphost runs are heavy (a whole platform each): one at a time.
[CollectionDefinition(Name)]
public sealed class AppHostRuns : ICollectionFixture<RunningPlatform>
{
    public const string Name = "apphost runs";
}
