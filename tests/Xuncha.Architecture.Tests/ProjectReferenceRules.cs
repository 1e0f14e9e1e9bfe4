using System.Xml.Linq;

namespace Xuncha.Architecture.Tests;

/// <summary>
/// Services are deployed by their own teams: a service project may reference only contracts/ and the service-defaults
/// library, never another service. Reads the project files as they are on disk.
/// </summary>
public static class ProjectReferenceRules
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Xuncha.Platform.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root (Xuncha.Platform.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Violations for one project file: each a human-readable sentence.</summary>
    public static IEnumerable<string> Violations(string repoRoot, string projectPath)
    {
        var root = Path.GetFullPath(repoRoot);
        var services = Path.Combine(root, "services") + Path.DirectorySeparatorChar;
        var contracts = Path.Combine(root, "contracts") + Path.DirectorySeparatorChar;
        var defaults = Path.Combine(root, "services", "ServiceDefaults") + Path.DirectorySeparatorChar;
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(projectPath))!;
        foreach (var include in XDocument.Load(projectPath).Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include")))
        {
            if (include is null) continue;
            var target = Path.GetFullPath(Path.Combine(projectDir, include.Replace('\\', '/')));
            var allowed = target.StartsWith(contracts, StringComparison.Ordinal) || target.StartsWith(defaults, StringComparison.Ordinal);
            if (!allowed)
            {
                var kind = target.StartsWith(services, StringComparison.Ordinal) ? "another service" : "a project outside contracts/ and ServiceDefaults";
                yield return $"{Path.GetRelativePath(root, projectPath)} references {kind}: {Path.GetRelativePath(root, target)}";
            }
        }
    }

    /// <summary>Every service project: each .csproj under services/ except the defaults library (and design-time folders).</summary>
    public static IEnumerable<string> ServiceProjects(string repoRoot) =>
        Directory.EnumerateFiles(Path.Combine(repoRoot, "services"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}ServiceDefaults{Path.DirectorySeparatorChar}")
                        && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
}
