using System.Diagnostics;

namespace Xuncha.Deployment.Tests;

/// <summary>Runs the command-line tools the checks need; a missing tool is a failure, never a skip.</summary>
internal static class Tools
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The test host's MSBuild variables would point a nested `dotnet msbuild` at the test run's own SDK state.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("MSBUILD", StringComparison.Ordinal) || k == "DOTNET_HOST_PATH").ToList())
        {
            psi.Environment.Remove(key);
        }
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' could not be started ({e.Message}). " + MissingToolHint(file), e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
            }
            return stdout.Result;
        }
    }

    private static string MissingToolHint(string file) => Path.GetFileName(file) switch
    {
        "kubectl" => "kubectl renders the manifests (kubectl kustomize, offline; kustomize v5). It is in this machine kind's image (package kubectl 1.32 from the Google Cloud CLI); Debian's kubernetes-client (1.20, kustomize v2) is too old for deploy/k8s.",
        "python3" => "python3 with PyYAML reads the rendered YAML (Debian packages python3 and python3-yaml).",
        _ => "",
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Xuncha.Platform.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Xuncha.Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
