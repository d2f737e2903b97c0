using EvalLoop.Core.Analysis;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// What every <see cref="IEmbeddingCache"/> must do. A subclass supplies the cache; every call to
/// <see cref="CreateStoreAsync"/> within one test returns a cache over the same empty storage.
/// </summary>
public abstract class EmbeddingCacheContract<TStore>
    where TStore : IEmbeddingCache
{
    private const string Model = "offline/offline-lexical-v1/384";

    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task MissesHashesThatWereNeverSet()
    {
        var cache = await CreateStoreAsync();

        var found = await cache.GetManyAsync(Model, [Hash("never set"), Hash("nor this")]);

        found.Should().BeEmpty();
    }

    [Fact]
    public async Task ReturnsTheVectorsThatWereSetBitForBit()
    {
        var cache = await CreateStoreAsync();
        float[] awkward = [0f, -0f, 1f, -1.5f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 0.1f, 1e-30f, 3.4028235e38f];

        await cache.SetManyAsync(Model, [KeyValuePair.Create(Hash("a"), awkward), KeyValuePair.Create(Hash("b"), new float[384])]);
        var found = await cache.GetManyAsync(Model, [Hash("a"), Hash("b")]);

        found.Should().HaveCount(2);
        found[Hash("a")].Select(BitConverter.SingleToInt32Bits).Should().Equal(awkward.Select(BitConverter.SingleToInt32Bits));
        found[Hash("b")].Should().HaveCount(384).And.OnlyContain(v => v == 0f);
    }

    [Fact]
    public async Task ReturnsOnlyTheHashesItHasAmongTheOnesAskedFor()
    {
        var cache = await CreateStoreAsync();
        await cache.SetManyAsync(Model, [KeyValuePair.Create(Hash("a"), new[] { 1f }), KeyValuePair.Create(Hash("c"), new[] { 3f })]);

        var found = await cache.GetManyAsync(Model, [Hash("a"), Hash("b"), Hash("c")]);

        found.Keys.Should().BeEquivalentTo([Hash("a"), Hash("c")]);
        found[Hash("c")].Should().Equal(3f);
    }

    [Fact]
    public async Task KeepsTheVectorsOfDifferentModelsApart()
    {
        var cache = await CreateStoreAsync();

        await cache.SetManyAsync("model-a/1", [KeyValuePair.Create(Hash("text"), new[] { 1f, 2f })]);
        await cache.SetManyAsync("model-b/1", [KeyValuePair.Create(Hash("text"), new[] { 9f })]);

        (await cache.GetManyAsync("model-a/1", [Hash("text")]))[Hash("text")].Should().Equal(1f, 2f);
        (await cache.GetManyAsync("model-b/1", [Hash("text")]))[Hash("text")].Should().Equal(9f);
        (await cache.GetManyAsync("model-c/1", [Hash("text")])).Should().BeEmpty();
    }

    [Fact]
    public async Task SettingAHashAgainReplacesItsVector()
    {
        var cache = await CreateStoreAsync();
        await cache.SetManyAsync(Model, [KeyValuePair.Create(Hash("a"), new[] { 1f, 1f })]);

        await cache.SetManyAsync(Model, [KeyValuePair.Create(Hash("a"), new[] { 2f, 2f, 2f })]);

        (await cache.GetManyAsync(Model, [Hash("a")]))[Hash("a")].Should().Equal(2f, 2f, 2f);
    }

    [Fact]
    public async Task GetsAndSetsThousandsOfVectorsAtOnce()
    {
        var cache = await CreateStoreAsync();
        var vectors = Enumerable.Range(0, 5_000).Select(i => KeyValuePair.Create(Hash($"text {i}"), new[] { i, -i, 0.5f })).ToList();

        await cache.SetManyAsync(Model, vectors);
        var found = await cache.GetManyAsync(Model, vectors.Select(v => v.Key).Append(Hash("missing")).ToList());

        found.Should().HaveCount(5_000);
        found[Hash("text 4321")].Should().Equal(4321f, -4321f, 0.5f);
    }

    [Fact]
    public async Task EmptyRequestsDoNothing()
    {
        var cache = await CreateStoreAsync();

        await cache.SetManyAsync(Model, []);

        (await cache.GetManyAsync(Model, [])).Should().BeEmpty();
    }

    [Fact]
    public async Task ReturnsCopiesThatTheCallerMayChange()
    {
        var cache = await CreateStoreAsync();
        var stored = new[] { 1f, 2f };
        await cache.SetManyAsync(Model, [KeyValuePair.Create(Hash("a"), stored)]);
        stored[0] = 99f;

        var first = (await cache.GetManyAsync(Model, [Hash("a")]))[Hash("a")];
        first[1] = 77f;

        (await cache.GetManyAsync(Model, [Hash("a")]))[Hash("a")].Should().Equal(1f, 2f);
    }

    [Fact]
    public async Task KeepsVectorsForAnotherInstanceOverTheSameStorage()
    {
        var writer = await CreateStoreAsync();
        await writer.SetManyAsync(Model, [KeyValuePair.Create(Hash("a"), Enumerable.Range(0, 3072).Select(i => i / 3072f).ToArray())]);

        var reader = await CreateStoreAsync();

        (await reader.GetManyAsync(Model, [Hash("a")]))[Hash("a")].Should().HaveCount(3072).And.EndWith(3071 / 3072f);
    }

    private static string Hash(string text) => EmbeddingTextHash.Compute(text);
}
