using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Xuncha.Deployment.Tests;

/// <summary>A deployable project's container settings as MSBuild evaluates them (deploy/Container.props via Directory.Build.targets).</summary>
internal sealed record ContainerSettings(
    string Service, string Repository, IReadOnlyList<string> Tags, string BaseImage, string User,
    IReadOnlyList<int> Ports, IReadOnlyDictionary<string, string> Environment)
{
    private static readonly ConcurrentDictionary<string, Lazy<ContainerSettings>> Cache = new();

    public static ContainerSettings Of(ApphostProcess process) =>
        Cache.GetOrAdd(process.Project, p => new Lazy<ContainerSettings>(() => Evaluate(p))).Value;

    private static ContainerSettings Evaluate(string project)
    {
        var json = Tools.Run("dotnet", [
            "msbuild", project, "-nologo", "-nodeReuse:false",
            "-getProperty:XunchaService", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTags",
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser",
            "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariable",
        ], timeout: TimeSpan.FromMinutes(3));
        var root = JsonNode.Parse(json)!;
        string Property(string name) => (string?)root["Properties"]![name] ?? "";
        IEnumerable<JsonNode> Items(string name) => root["Items"]![name]!.AsArray().Select(i => i!);
        return new ContainerSettings(
            Property("XunchaService"),
            Property("ContainerRepository"),
            Property("ContainerImageTags").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Property("ContainerBaseImage"),
            Property("ContainerUser"),
            Items("ContainerPort").Select(i => int.Parse((string)i["Identity"]!)).ToList(),
            Items("ContainerEnvironmentVariable").ToDictionary(i => (string)i["Identity"]!, i => (string?)i["Value"] ?? ""));
    }
}
