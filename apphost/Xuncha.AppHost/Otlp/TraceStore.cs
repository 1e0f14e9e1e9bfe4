using Google.Protobuf;
using Xuncha.AppHost.Otlp.Proto;

namespace Xuncha.AppHost.Otlp;

public sealed record SpanRecord(
    string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string Service, string? Instance,
    long StartUnixNano, long EndUnixNano, bool Error, string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<SpanEventRecord> Events)
{
    public double DurationMs => (EndUnixNano - StartUnixNano) / 1e6;
}

public sealed record SpanEventRecord(string Name, long TimeUnixNano);

public sealed record TraceSummary(string TraceId, string Root, IReadOnlyList<string> Services, double DurationMs, bool Error, DateTimeOffset Started, int SpanCount);

/// <summary>
/// Recent spans in memory, bounded: when either limit is passed the oldest traces go first. A trace is whatever
/// spans share a trace id, arriving from any process in any order.
/// </summary>
public sealed class TraceStore(int maxTraces = 2000, int maxSpans = 50_000)
{
    private readonly Dictionary<string, List<SpanRecord>> traces = [];
    private readonly LinkedList<string> order = new();
    private int spanCount;

    public int SpanCount { get { lock (traces) return spanCount; } }

    public int Add(ExportTraceServiceRequest request)
    {
        var added = 0;
        lock (traces)
        {
            foreach (var resourceSpans in request.ResourceSpans)
            {
                var service = Attribute(resourceSpans.Resource?.Attributes, "service.name") ?? "unknown";
                var instance = Attribute(resourceSpans.Resource?.Attributes, "service.instance.id");
                foreach (var span in resourceSpans.ScopeSpans.SelectMany(s => s.Spans))
                {
                    Add(ToRecord(span, service, instance));
                    added++;
                }
            }
            while (traces.Count > maxTraces || spanCount > maxSpans)
            {
                var oldest = order.First!.Value;
                order.RemoveFirst();
                spanCount -= traces[oldest].Count;
                traces.Remove(oldest);
            }
        }
        return added;
    }

    private void Add(SpanRecord span)
    {
        if (!traces.TryGetValue(span.TraceId, out var spans))
        {
            traces[span.TraceId] = spans = [];
            order.AddLast(span.TraceId);
        }
        spans.Add(span);
        spanCount++;
    }

    public IReadOnlyList<TraceSummary> Recent(int limit = 100, string? service = null)
    {
        lock (traces)
        {
            return [.. order.Reverse()
                .Select(id => Summarise(id, traces[id]))
                .Where(t => service is null || t.Services.Contains(service))
                .OrderByDescending(t => t.Started)
                .Take(limit)];
        }
    }

    public IReadOnlyList<SpanRecord>? Trace(string traceId)
    {
        lock (traces)
        {
            return traces.TryGetValue(traceId.ToLowerInvariant(), out var spans) ? [.. spans.OrderBy(s => s.StartUnixNano)] : null;
        }
    }

    private static TraceSummary Summarise(string id, List<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        // The root is the span without a parent; when it has not arrived (yet), the earliest span whose parent is missing.
        var root = spans.Where(s => s.ParentSpanId is null).MinBy(s => s.StartUnixNano)
                   ?? spans.Where(s => !ids.Contains(s.ParentSpanId!)).MinBy(s => s.StartUnixNano)!;
        var start = spans.Min(s => s.StartUnixNano);
        var end = spans.Max(s => s.EndUnixNano);
        return new TraceSummary(
            id,
            $"{root.Service}: {root.Name}",
            [.. spans.OrderBy(s => s.StartUnixNano).Select(s => s.Service).Distinct()],
            Math.Round((end - start) / 1e6, 3),
            spans.Any(s => s.Error),
            DateTimeOffset.FromUnixTimeMilliseconds(start / 1_000_000),
            spans.Count);
    }

    private static SpanRecord ToRecord(Span span, string service, string? instance)
    {
        var attributes = span.Attributes.ToDictionary(a => a.Key, a => Text(a.Value));
        var status = attributes.TryGetValue("http.response.status_code", out var code) && int.TryParse(code, out var c) ? c : 0;
        return new SpanRecord(
            Hex(span.TraceId), Hex(span.SpanId), span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
            span.Name, KindName(span.Kind), service, instance,
            (long)span.StartTimeUnixNano, (long)span.EndTimeUnixNano,
            span.Status?.Code == Status.Types.StatusCode.Error || (span.Kind == Span.Types.SpanKind.Server && status >= 500),
            string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
            attributes,
            [.. span.Events.Select(e => new SpanEventRecord(e.Name, (long)e.TimeUnixNano))]);
    }

    private static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Server => "server",
        Span.Types.SpanKind.Client => "client",
        Span.Types.SpanKind.Producer => "producer",
        Span.Types.SpanKind.Consumer => "consumer",
        _ => "internal",
    };

    private static string? Attribute(IEnumerable<KeyValue>? attributes, string key) =>
        attributes?.FirstOrDefault(a => a.Key == key) is { } kv ? Text(kv.Value) : null;

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(v => v.Key + "=" + Text(v.Value))) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToHexStringLower(value.BytesValue.ToByteArray()),
        _ => "",
    };

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.ToByteArray());
}
