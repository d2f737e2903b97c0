using System.Collections.Concurrent;
using EvalLoop.Core.Caching;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// An <see cref="IResponseCache"/> held in a dictionary, counting reads, hits and writes so tests can assert how a
/// caching wrapper used it. Thread-safe.
/// </summary>
public sealed class InMemoryResponseCache : IResponseCache
{
    private readonly ConcurrentDictionary<string, string> _entries = new(StringComparer.Ordinal);
    private int _gets;
    private int _hits;
    private int _sets;

    /// <summary>Number of <see cref="GetAsync"/> calls.</summary>
    public int Gets => Volatile.Read(ref _gets);

    /// <summary>Number of <see cref="GetAsync"/> calls that found a value.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Number of <see cref="SetAsync"/> calls.</summary>
    public int Sets => Volatile.Read(ref _sets);

    /// <summary>The stored entries (key to serialized value).</summary>
    public IReadOnlyDictionary<string, string> Entries => _entries;

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _gets);
        if (_entries.TryGetValue(key, out var value))
        {
            Interlocked.Increment(ref _hits);
            return ValueTask.FromResult<string?>(value);
        }

        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _sets);
        _entries[key] = value;
        return ValueTask.CompletedTask;
    }

    /// <summary>Overwrites an entry directly, e.g. to simulate a corrupted cache file.</summary>
    public void Put(string key, string value) => _entries[key] = value;
}
