using EvalLoop.Analysis.Embeddings;
using EvalLoop.Core.Analysis;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;

namespace EvalLoop.Analysis.Tests.Embeddings;

public sealed class CachingEmbeddingGeneratorTests
{
    [Fact]
    public async Task EmbedsEachDistinctTextOnceAndReturnsVectorsInTheOrderAsked()
    {
        var inner = new CallbackEmbeddingGenerator(Vector);
        using var generator = new CachingEmbeddingGenerator(inner, new InMemoryEmbeddingCache());

        var embeddings = await generator.GenerateAsync(["b", "a", "b", "ccc"]);

        embeddings.Select(e => e.Vector.ToArray()).Should().BeEquivalentTo([Vector("b"), Vector("a"), Vector("b"), Vector("ccc")], o => o.WithStrictOrdering());
        inner.Texts.Should().Be(3);
    }

    [Fact]
    public async Task ServesCachedTextsFromTheCacheAndOnlyEmbedsNewOnes()
    {
        var inner = new CallbackEmbeddingGenerator(Vector);
        var cache = new InMemoryEmbeddingCache();
        using var generator = new CachingEmbeddingGenerator(inner, cache);
        await generator.GenerateAsync(["a", "b"]);

        var embeddings = await generator.GenerateAsync(["b", "c", "a"]);

        inner.Texts.Should().Be(3, "only c is new");
        embeddings[2].Vector.ToArray().Should().Equal(Vector("a"));
        cache.Count.Should().Be(3);
    }

    [Fact]
    public async Task SendsTheInnerGeneratorBatchesOfAtMostTheBatchSize()
    {
        var inner = new CallbackEmbeddingGenerator(Vector);
        using var generator = new CachingEmbeddingGenerator(inner, new InMemoryEmbeddingCache());

        await generator.GenerateAsync(Enumerable.Range(0, 300).Select(i => $"text {i}"));

        inner.Calls.Should().Be(3);
        inner.Texts.Should().Be(300);
    }

    [Fact]
    public async Task KeysTheCacheByProviderModelAndDimensions()
    {
        var cache = new InMemoryEmbeddingCache();
        using var small = new CachingEmbeddingGenerator(new CallbackEmbeddingGenerator(Vector, "model-a", 3), cache);
        using var other = new CachingEmbeddingGenerator(new CallbackEmbeddingGenerator(_ => [9f], "model-b", 1), cache);
        await small.GenerateAsync(["a"]);

        var fromOther = await other.GenerateAsync(["a"]);

        fromOther[0].Vector.ToArray().Should().Equal(9f);
        small.CacheModelKey().Should().Be("fake/model-a/3");
        small.CacheModelKey(new EmbeddingGenerationOptions { ModelId = "x", Dimensions = 64 }).Should().Be("fake/x/64");
        (await cache.GetManyAsync("fake/model-a/3", [EmbeddingTextHash.Compute("a")])).Should().ContainKey(EmbeddingTextHash.Compute("a"));
    }

    private static float[] Vector(string text) => [text.Length, text[0], 1f];
}
