namespace EvalLoop.Core.Analysis;

/// <summary>
/// A persistent cache of embedding vectors, keyed by the embedding model and a hash of the embedded text
/// (<see cref="EmbeddingTextHash.Compute"/>), so re-analysing a run does not embed the same texts again.
/// </summary>
/// <remarks>
/// <c>model</c> names everything that changes a vector (provider, model id, dimensions), e.g.
/// <c>offline/offline-lexical-v1/384</c>: vectors of different models never mix. Both members work on many keys at
/// once because an analysis asks for thousands of texts, and one round trip each would dominate its time.
/// </remarks>
public interface IEmbeddingCache
{
    /// <summary>
    /// The cached vectors of <paramref name="textHashes"/> for <paramref name="model"/>, by hash; a hash that is not
    /// cached is absent from the result. Each returned array is the caller's to keep.
    /// </summary>
    Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string model, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="vectors"/> (hash to vector) for <paramref name="model"/>, replacing existing entries; all or nothing.</summary>
    Task SetManyAsync(string model, IReadOnlyCollection<KeyValuePair<string, float[]>> vectors, CancellationToken cancellationToken = default);
}
