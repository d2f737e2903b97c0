using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Offline;

/// <summary>
/// Offline text embeddings: the <see cref="LexicalTextFeaturizer"/> vector of each text (384 dimensions by default,
/// L2-normalised, deterministic), in-process with no key, download or network.
/// </summary>
/// <remarks>
/// These vectors measure shared words and word fragments, not meaning: paraphrases with different words score low.
/// They are good enough to group failing cases that reuse the same wording, and to run the embedding scorers in tests
/// and demos; real work uses a real embedding model. There is no IDF weighting, since a generator sees no corpus.
/// A text with no features (empty, or only stop words and punctuation) gets the zero vector.
/// <see cref="EmbeddingGenerationOptions.Dimensions"/> picks another size; <see cref="EmbeddingGenerationOptions.ModelId"/>
/// is echoed back. Thread-safe.
/// </remarks>
public sealed class OfflineEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id reported when the options do not name one.</summary>
    public const string DefaultModelId = "offline-lexical-v1";

    private readonly LexicalTextFeaturizer _featurizer;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the generator.</summary>
    /// <param name="dimensions">The default vector size, at least 1.</param>
    public OfflineEmbeddingGenerator(int dimensions = LexicalTextFeaturizer.DefaultDimensions)
    {
        _featurizer = new LexicalTextFeaturizer(dimensions);
        _metadata = new EmbeddingGeneratorMetadata(OfflineChatClient.ProviderName, providerUri: null, DefaultModelId, dimensions);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var featurizer = options?.Dimensions is { } dimensions && dimensions != _featurizer.Dimensions
            ? new LexicalTextFeaturizer(dimensions)
            : _featurizer;
        var modelId = options?.ModelId ?? DefaultModelId;

        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        long tokens = 0;
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            embeddings.Add(new Embedding<float>(featurizer.Embed(value)) { ModelId = modelId });
            tokens += OfflineTokenCounter.Count(value);
        }

        embeddings.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return Task.FromResult(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: the generator holds no native or pooled resources.
    }
}
