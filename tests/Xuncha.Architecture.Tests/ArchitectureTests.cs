using System.Xml.Linq;

namespace Xuncha.Architecture.Tests;

public sealed class ArchitectureTests
{
    private readonly string root = ProjectReferenceRules.RepoRoot();

    [Fact]
    public void No_service_references_another_service_or_anything_but_contracts_and_defaults()
    {
        var violations = ProjectReferenceRules.ServiceProjects(root).SelectMany(p => ProjectReferenceRules.Violations(root, p)).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_defaults_library_and_contracts_reference_no_service()
    {
        var shared = new[]
        {
            Path.Combine(root, "services", "ServiceDefaults", "Xuncha.ServiceDefaults.csproj"),
            Path.Combine(root, "contracts", "Xuncha.Contracts", "Xuncha.Contracts.csproj"),
        };
        foreach (var project in shared)
        {
            Assert.True(File.Exists(project), project);
            Assert.Empty(XDocument.Load(project).Descendants("ProjectReference"));
        }
    }

    [Fact]
    public void The_rule_catches_a_service_that_references_another_service()
    {
        // The check above must be able to fail: a planted cross-reference is reported.
        var fake = Path.Combine(root, "services", "zz-arch-probe", "Probe.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(fake)!);
        try
        {
            File.WriteAllText(fake, """
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <ItemGroup>
                    <ProjectReference Include="../ServiceDefaults/Xuncha.ServiceDefaults.csproj" />
                    <ProjectReference Include="../../contracts/Xuncha.Contracts/Xuncha.Contracts.csproj" />
                    <ProjectReference Include="../planning/Xuncha.Planning.csproj" />
                  </ItemGroup>
                </Project>
                """);
            var violations = ProjectReferenceRules.Violations(root, fake).ToList();
            var only = Assert.Single(violations);
            Assert.Contains("another service", only);
            Assert.Contains(fake, ProjectReferenceRules.ServiceProjects(root));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(fake)!, recursive: true);
        }
    }
}
