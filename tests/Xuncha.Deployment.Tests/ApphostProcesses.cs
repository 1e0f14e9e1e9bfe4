using Xuncha.Launcher;
using Xuncha.Launcher.Model;

namespace Xuncha.Deployment.Tests;

/// <summary>
/// The processes the local apphost starts (PlatformGraph.Build, nothing started) and the environment-variable names each
/// one is given: the cluster must give each Deployment the same names. A service added to the graph is therefore a
/// deployable these tests expect manifests and container settings for.
/// </summary>
internal sealed record ApphostProcess(string Name, string Project, string? Database, IReadOnlySet<string> VariableNames)
{
    public static IReadOnlyList<ApphostProcess> All { get; } = Read();

    public static ApphostProcess Named(string name) => All.Single(p => p.Name == name);

    private static IReadOnlyList<ApphostProcess> Read()
    {
        var options = new AppHostOptions(Tools.RepoRoot, Path.Combine(Path.GetTempPath(), "xuncha-deployment-tests"),
            15432, 5673, 15672, 8080, 18888, 8101, new Dictionary<string, int>(), Demo: true);
        var platform = PlatformGraph.Build(options);
        return platform.Resources.OfType<ProjectResource>().Select(p =>
        {
            // Values need running servers; names do not.
            var names = p.EnvironmentNames.ToHashSet();
            // <Folder>/bin/Release/net10.0/<Assembly>.dll → <Folder>/<Assembly>.csproj
            var folder = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(p.Dll))))!;
            var project = Path.Combine(folder, Path.GetFileNameWithoutExtension(p.Dll) + ".csproj");
            return new ApphostProcess(p.Service, project, p.Database?.Name, names);
        }).ToList();
    }
}
