using System.Globalization;
using EvalLoop.Core.Analysis;
using Microsoft.Extensions.AI;

namespace EvalLoop.Analysis.Embeddings;

/// <summary>
/// Serves embeddings from an <see cref="IEmbeddingCache"/> and asks the inner generator only for texts it has not
/// embedded before (each distinct text once, in batches), storing what it gets. Re-analysing a run therefore embeds
/// nothing. Composes like any <see cref="DelegatingEmbeddingGenerator{TInput, TEmbedding}"/>.
/// </summary>
/// <remarks>
/// The cache key's model part is <c>provider/model/dimensions</c> from the inner generator's
/// <see cref="EmbeddingGeneratorMetadata"/> (overridden by <see cref="EmbeddingGenerationOptions.ModelId"/> and
/// <see cref="EmbeddingGenerationOptions.Dimensions"/>), so a different model never reads another's vectors.
/// </remarks>
public sealed class CachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Texts sent to the inner generator per call; hosted APIs cap the inputs of one request.</summary>
    public const int BatchSize = 128;

    private readonly IEmbeddingCache _cache;
    private readonly EmbeddingGeneratorMetadata? _metadata;

    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, IEmbeddingCache cache)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
    }

    /// <summary>The cache's model key for <paramref name="options"/>.</summary>
    public string CacheModelKey(EmbeddingGenerationOptions? options = null)
    {
        var provider = _metadata?.ProviderName ?? "unknown";
        var model = options?.ModelId ?? _metadata?.DefaultModelId ?? "default";
        var dimensions = options?.Dimensions ?? _metadata?.DefaultModelDimensions;
        return string.Create(CultureInfo.InvariantCulture, $"{provider}/{model}/{dimensions?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToList();
        var hashes = new string[texts.Count];
        var distinct = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], nameof(values));
            hashes[i] = EmbeddingTextHash.Compute(texts[i]);
            distinct.TryAdd(hashes[i], texts[i]);
        }

        var model = CacheModelKey(options);
        var vectors = new Dictionary<string, float[]>(await _cache.GetManyAsync(model, distinct.Keys, cancellationToken), StringComparer.Ordinal);
        var missing = distinct.Where(kv => !vectors.ContainsKey(kv.Key)).ToList();
        UsageDetails? usage = null;
        for (var start = 0; start < missing.Count; start += BatchSize)
        {
            var batch = missing.GetRange(start, Math.Min(BatchSize, missing.Count - start));
            var generated = await base.GenerateAsync(batch.Select(kv => kv.Value), options, cancellationToken);
            if (generated.Count != batch.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {generated.Count} embeddings for {batch.Count} texts.");
            }

            var fresh = new List<KeyValuePair<string, float[]>>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var vector = generated[i].Vector.ToArray();
                vectors[batch[i].Key] = vector;
                fresh.Add(KeyValuePair.Create(batch[i].Key, vector));
            }

            // Stored batch by batch: an interrupted analysis keeps what it paid for.
            await _cache.SetManyAsync(model, fresh, cancellationToken);
            if (generated.Usage is { } batchUsage)
            {
                usage ??= new UsageDetails();
                usage.Add(batchUsage);
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count) { Usage = usage };
        var modelId = options?.ModelId ?? _metadata?.DefaultModelId;
        foreach (var hash in hashes)
        {
            result.Add(new Embedding<float>(vectors[hash]) { ModelId = modelId });
        }

        return result;
    }
}
