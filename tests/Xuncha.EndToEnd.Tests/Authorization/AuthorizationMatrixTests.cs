using System.Diagnostics;
using Xunit.Abstractions;
using Xuncha.EndToEnd.Tests.OpenApi;

namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>
/// Every operation of every API × every principal against docs/authorization-matrix.md (the reviewed table): an
/// unexpected allow is a need-to-know breach, an unexpected deny a table that no longer tells the truth.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class AuthorizationMatrixTests(E2EPlatform platform, ITestOutputHelper output)
{
    /// <summary>Modest: the machine is shared with other platforms; the whole sweep still takes seconds.</summary>
    private const int Concurrency = 6;

    [Fact]
    public async Task Every_operation_answers_every_principal_as_the_matrix_says()
    {
        var table = MatrixTable.Load();
        var operations = await ApiCatalog.LoadAsync(platform.Gateway);
        var watch = Stopwatch.StartNew();
        var results = await MatrixSweep.RunAsync(operations, principal => Principals.ConnectAsync(platform, principal), Concurrency);
        var swept = watch.Elapsed;
        // Written before any assertion, so a failing run leaves the evidence to diff against the reviewed table.
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "authorization-matrix.observed.md"), MatrixSweep.Observed(operations, results));

        var (failures, mismatches, breaches) = MatrixSweep.Compare(table, operations, results);
        output.WriteLine($"{operations.Count} operations × {Principals.All.Length} principals = {results.Count} requests in {swept.TotalSeconds:F1} s; " +
            string.Join(", ", results.GroupBy(r => r.Decision).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
        Assert.True(failures.Count == 0,
            $"{operations.Count} operations × {Principals.All.Length} principals swept in {swept.TotalSeconds:F1} s; " +
            $"{mismatches} cells differ from {MatrixTable.RelativePath} ({breaches} unexpected allows):\n{string.Join('\n', failures)}");
    }
}
