using System.Collections.Concurrent;
using System.Diagnostics;

namespace Xuncha.Testing;

/// <summary>
/// Records every span this process finishes, from every source. <paramref name="recorded"/> false samples AllData
/// without Recorded: the tags are there, but the export decision stays with the process's own sampler.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener listener;

    public SpanRecorder(bool recorded = true)
    {
        var result = recorded ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.AllData;
        listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => result,
            ActivityStopped = Stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentBag<Activity> Stopped { get; } = [];

    public void Dispose() => listener.Dispose();
}
