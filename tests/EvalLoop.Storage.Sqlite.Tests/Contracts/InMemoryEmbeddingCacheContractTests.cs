using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>The embedding cache contract against the fake, so analyzer tests that use <see cref="InMemoryEmbeddingCache"/> can trust it.</summary>
public sealed class InMemoryEmbeddingCacheContractTests : EmbeddingCacheContract<InMemoryEmbeddingCache>
{
    private readonly InMemoryEmbeddingCache _cache = new();

    protected override Task<InMemoryEmbeddingCache> CreateStoreAsync() => Task.FromResult(_cache);
}
