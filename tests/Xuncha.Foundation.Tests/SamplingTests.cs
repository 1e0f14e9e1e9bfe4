using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using Xuncha.ServiceDefaults.Telemetry;

namespace Xuncha.Foundation.Tests;

/// <summary>The root sampler: health probes never, other traces at OTEL_TRACES_SAMPLER_ARG (all when unset).</summary>
public sealed class SamplingTests
{
    private static double Ratio(string? value) =>
        TelemetrySetup.SampleRatio(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER_ARG"] = value }).Build());

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("1.5", 1.0)]
    [InlineData("-0.2", 1.0)]
    [InlineData("ten percent", 1.0)]
    public void The_ratio_comes_from_the_standard_variable_and_anything_else_keeps_every_trace(string? value, double expected) =>
        Assert.Equal(expected, Ratio(value));

    private static SamplingDecision Decide(double ratio, string name, ActivityTraceId trace) =>
        new HealthProbeSampler(ratio).ShouldSample(new SamplingParameters(default, trace, name, ActivityKind.Server)).Decision;

    [Fact]
    public void Health_probes_are_dropped_and_other_roots_kept_at_the_ratio_by_trace_id()
    {
        var traces = Enumerable.Range(0, 2000).Select(_ => ActivityTraceId.CreateRandom()).ToList();
        Assert.All(traces.Take(50), t => Assert.Equal(SamplingDecision.Drop, Decide(1, "proxy.cluster_health_checks", t)));
        Assert.All(traces.Take(50), t => Assert.Equal(SamplingDecision.RecordAndSample, Decide(1, "POST /api/audit", t)));
        Assert.All(traces.Take(50), t => Assert.Equal(SamplingDecision.Drop, Decide(0, "POST /api/audit", t)));

        var kept = traces.Count(t => Decide(0.1, "POST /api/audit", t) == SamplingDecision.RecordAndSample);
        Assert.InRange(kept, 120, 280); // 10% of 2,000 ± well over three standard deviations (σ ≈ 13)
        // The decision belongs to the trace, so every service deciding on the same root agrees.
        Assert.All(traces.Take(200), t => Assert.Equal(Decide(0.1, "a", t), Decide(0.1, "b", t)));
    }
}
