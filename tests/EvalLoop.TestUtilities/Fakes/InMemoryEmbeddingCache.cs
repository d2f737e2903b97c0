using System.Collections.Concurrent;
using EvalLoop.Core.Analysis;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// An <see cref="IEmbeddingCache"/> held in a dictionary, counting the hashes asked for, found and stored, so tests
/// can assert how a caching generator used it. Copies vectors in and out. Thread-safe.
/// </summary>
public sealed class InMemoryEmbeddingCache : IEmbeddingCache
{
    private readonly ConcurrentDictionary<(string Model, string Hash), float[]> _entries = new();
    private int _requested;
    private int _hits;
    private int _stored;

    /// <summary>Hashes asked for, over every <see cref="GetManyAsync"/> call.</summary>
    public int Requested => Volatile.Read(ref _requested);

    /// <summary>Hashes found.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Vectors stored, over every <see cref="SetManyAsync"/> call.</summary>
    public int Stored => Volatile.Read(ref _stored);

    /// <summary>Number of entries (model, hash).</summary>
    public int Count => _entries.Count;

    public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string model, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(textHashes);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var hash in textHashes)
        {
            Interlocked.Increment(ref _requested);
            if (_entries.TryGetValue((model, hash), out var vector))
            {
                Interlocked.Increment(ref _hits);
                found[hash] = vector.ToArray();
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, float[]>>(found);
    }

    public Task SetManyAsync(string model, IReadOnlyCollection<KeyValuePair<string, float[]>> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vectors);
        cancellationToken.ThrowIfCancellationRequested();

        // All or nothing, like the SQLite transaction: check every entry before storing any.
        foreach (var (hash, vector) in vectors)
        {
            ArgumentNullException.ThrowIfNull(hash, nameof(vectors));
            ArgumentNullException.ThrowIfNull(vector, nameof(vectors));
        }

        foreach (var (hash, vector) in vectors)
        {
            _entries[(model, hash)] = vector.ToArray();
            Interlocked.Increment(ref _stored);
        }

        return Task.CompletedTask;
    }
}
