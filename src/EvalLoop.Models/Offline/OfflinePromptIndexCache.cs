using System.Collections.Concurrent;

namespace EvalLoop.Models.Offline;

/// <summary>
/// A bounded, thread-safe cache of prompt indexes. A run sends the same system prompt for every case, from many
/// concurrent callers: the first caller builds the index, the others wait for that build instead of repeating it.
/// When full, the least recently used entries are evicted.
/// </summary>
internal sealed partial class OfflinePromptIndexCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _evictionLock = new();
    private readonly int _capacity;
    private long _clock;

    public OfflinePromptIndexCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    public OfflinePromptIndex GetOrAdd<TState>(string key, Func<TState, OfflinePromptIndex> build, TState state)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Touch(Interlocked.Increment(ref _clock));
        }
        else
        {
            entry = _entries.GetOrAdd(key, static (_, arguments) => new Entry(() => arguments.build(arguments.state)), (build, state));
            entry.Touch(Interlocked.Increment(ref _clock));
            if (_entries.Count > _capacity)
            {
                Evict();
            }
        }

        return entry.Index;
    }

    public void Clear() => _entries.Clear();

    private void Evict()
    {
        lock (_evictionLock)
        {
            while (_entries.Count > _capacity)
            {
                var oldest = _entries.MinBy(pair => pair.Value.LastUsed);
                _entries.TryRemove(oldest);
            }
        }
    }
}
