namespace Xuncha.Deployment.Tests;

/// <summary>deploy/Container.props as MSBuild evaluates it for each deployable (what `dotnet publish -t:PublishContainer` uses).</summary>
public sealed class ContainerSettingsTests
{
    [Fact]
    public void Every_deployable_publishes_a_non_root_aspnet_image_named_after_its_apphost_resource()
    {
        Assert.Equal(8, ApphostProcess.All.Count);
        Parallel.ForEach(ApphostProcess.All, p => ContainerSettings.Of(p));
        foreach (var process in ApphostProcess.All)
        {
            var settings = ContainerSettings.Of(process);
            Assert.Equal(process.Name, settings.Service);
            Assert.Equal($"xuncha/{process.Name}", settings.Repository);
            Assert.NotEmpty(settings.Tags);
            Assert.DoesNotContain("latest", settings.Tags);
            Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", settings.BaseImage);
            Assert.True(int.TryParse(settings.User, out var uid) && uid > 0, $"{process.Name}: ContainerUser '{settings.User}' is not a numeric non-root user");
            Assert.Equal([8080], settings.Ports);
            Assert.Equal("8080", settings.Environment["ASPNETCORE_HTTP_PORTS"]);
            Assert.Equal(process.Name, settings.Environment["OTEL_SERVICE_NAME"]);
        }
    }

    [Fact]
    public void Container_settings_live_in_one_place_not_in_the_project_files()
    {
        var projects = new[] { "services", "gateway", "apphost", "contracts" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Tools.RepoRoot, folder), "*.csproj", SearchOption.AllDirectories));
        foreach (var project in projects)
        {
            Assert.DoesNotContain("<Container", File.ReadAllText(project));
        }
        Assert.Contains("deploy/Container.props", File.ReadAllText(Path.Combine(Tools.RepoRoot, "Directory.Build.targets")));
    }
}
