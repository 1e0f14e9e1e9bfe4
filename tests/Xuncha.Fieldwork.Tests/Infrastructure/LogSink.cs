using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Xuncha.Fieldwork.Tests.Infrastructure;

/// <summary>Every log line the service writes (message, structured values and exception), so tests can prove what never appears.</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            sink.Lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            sink.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
