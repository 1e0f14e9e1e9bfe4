using Google.Protobuf;
using Xuncha.AppHost.Otlp.Proto;

namespace Xuncha.AppHost.Otlp;

/// <summary>
/// OTLP/HTTP with binary protobuf (the SDK's http/protobuf protocol): POST /v1/traces is decoded and kept; logs and
/// metrics are acknowledged and counted — the dashboard shows console output and process memory instead.
/// </summary>
public static class OtlpReceiver
{
    private const long MaxBody = 8 * 1024 * 1024;
    private const string Protobuf = "application/x-protobuf";

    public sealed class Counters
    {
        public long TraceBatches;
        public long LogBatches;
        public long MetricBatches;
        public long Rejected;
    }

    public static void MapOtlpReceiver(this WebApplication app)
    {
        var counters = app.Services.GetRequiredService<Counters>();
        app.MapPost("/v1/traces", async (HttpRequest request, TraceStore store) =>
        {
            var (body, status) = await ReadAsync(request, counters);
            if (body is null) return Reject(status);
            ExportTraceServiceRequest export;
            try
            {
                export = ExportTraceServiceRequest.Parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException e)
            {
                Interlocked.Increment(ref counters.Rejected);
                return Results.Problem(statusCode: 400, title: "invalid OTLP protobuf", detail: e.Message);
            }
            store.Add(export);
            Interlocked.Increment(ref counters.TraceBatches);
            return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), Protobuf);
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            var (body, status) = await ReadAsync(request, counters);
            if (body is null) return Reject(status);
            Interlocked.Increment(ref counters.LogBatches);
            return Results.Bytes([], Protobuf);   // an empty ExportLogsServiceResponse
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            var (body, status) = await ReadAsync(request, counters);
            if (body is null) return Reject(status);
            Interlocked.Increment(ref counters.MetricBatches);
            return Results.Bytes([], Protobuf);
        });
    }

    /// <summary>The body, or the status that refuses it (415 wrong type, 413 larger than the limit, also after gunzip).</summary>
    private static async Task<(byte[]? Body, int Status)> ReadAsync(HttpRequest request, Counters counters)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref counters.Rejected);
            return (null, 415);
        }
        var gzip = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        using var source = gzip ? new System.IO.Compression.GZipStream(request.Body, System.IO.Compression.CompressionMode.Decompress) : request.Body;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBody)
                {
                    Interlocked.Increment(ref counters.Rejected);
                    return (null, 413);
                }
            }
        }
        catch (InvalidDataException)
        {
            Interlocked.Increment(ref counters.Rejected);
            return (null, 400);
        }
        return (buffer.ToArray(), 200);
    }

    private static IResult Reject(int status) => status switch
    {
        413 => Results.Problem(statusCode: 413, title: "OTLP batch too large", detail: $"At most {MaxBody} bytes (after decompression)."),
        400 => Results.Problem(statusCode: 400, title: "invalid gzip body"),
        _ => Results.Problem(statusCode: 415, title: "OTLP/HTTP protobuf only", detail: $"Content-Type must be {Protobuf}; JSON is not accepted here."),
    };
}
