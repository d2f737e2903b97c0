using EvalLoop.Core.Caching;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>
/// What every <see cref="IResponseCache"/> must do. A subclass supplies the cache; every call to
/// <see cref="CreateStoreAsync"/> within one test returns a cache over the same empty storage.
/// </summary>
public abstract class ResponseCacheContract<TStore>
    where TStore : IResponseCache
{
    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task MissesAKeyThatWasNeverSet()
    {
        var cache = await CreateStoreAsync();

        var value = await cache.GetAsync("sha256:never-set");

        value.Should().BeNull();
    }

    [Fact]
    public async Task ReturnsTheValueThatWasSet()
    {
        var cache = await CreateStoreAsync();
        const string Response = """{"text":"Paris — «la capitale» 🇫🇷","usage":{"input":12,"output":3}}""";

        await cache.SetAsync("key-1", Response);

        (await cache.GetAsync("key-1")).Should().Be(Response);
    }

    [Fact]
    public async Task SettingAKeyAgainOverwritesItsValue()
    {
        var cache = await CreateStoreAsync();
        await cache.SetAsync("key-1", "first");

        await cache.SetAsync("key-1", "second");

        (await cache.GetAsync("key-1")).Should().Be("second");
    }

    [Fact]
    public async Task KeepsTheValuesOfDifferentKeysApart()
    {
        var cache = await CreateStoreAsync();

        await cache.SetAsync("key-1", "one");
        await cache.SetAsync("KEY-1", "upper");
        await cache.SetAsync("key-2", string.Empty);

        (await cache.GetAsync("key-1")).Should().Be("one");
        (await cache.GetAsync("KEY-1")).Should().Be("upper", "keys are case-sensitive content hashes");
        (await cache.GetAsync("key-2")).Should().BeEmpty("an empty value is a hit, not a miss");
    }

    [Fact]
    public async Task KeepsValuesForAnotherInstanceOverTheSameStorage()
    {
        var writer = await CreateStoreAsync();
        await writer.SetAsync("key-1", new string('x', 200_000));

        var reader = await CreateStoreAsync();

        (await reader.GetAsync("key-1")).Should().HaveLength(200_000);
    }
}
