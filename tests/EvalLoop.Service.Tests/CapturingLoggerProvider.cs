using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Tests;

/// <summary>Keeps every log entry of every category (formatted message and exception text) for a test to inspect.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>Adds this provider to <paramref name="logging"/> at every level, whatever the host's own filters say.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddProvider(this).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), properties, exception?.ToString()));
        }
    }
}

/// <summary>One captured log entry: its formatted message, its structured properties and its exception (as text).</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string Properties, string? Exception)
{
    public bool Contains(string text) =>
        Message.Contains(text, StringComparison.OrdinalIgnoreCase) || Properties.Contains(text, StringComparison.OrdinalIgnoreCase) || (Exception?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false);
}
