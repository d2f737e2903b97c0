using Microsoft.Extensions.AI;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// A hand-written <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> whose vectors come from a callback (text to
/// vector), counting calls and texts so tests can assert what a caching wrapper asked for.
/// </summary>
public sealed class CallbackEmbeddingGenerator(Func<string, float[]> embed, string modelId = "fake-embedding", int? dimensions = null)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("fake", providerUri: null, modelId, dimensions);
    private int _calls;
    private int _texts;

    /// <summary>Number of <see cref="GenerateAsync"/> calls.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Number of texts embedded over every call.</summary>
    public int Texts => Volatile.Read(ref _texts);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            Interlocked.Increment(ref _texts);
            result.Add(new Embedding<float>(embed(value)) { ModelId = modelId });
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }
}
