using EvalLoop.Core.Versions;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

/// <summary>What every <see cref="IFileVersionStore"/> must do; a subclass supplies the store over empty storage.</summary>
public abstract class FileVersionStoreContract<TStore>
    where TStore : IFileVersionStore
{
    private static readonly DateTimeOffset At = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task RecordsTheReplacedVersionAndTheNewOneLinkedToIt()
    {
        // Arrange
        var store = await CreateStoreAsync();
        var applied = false;

        // Act
        var change = await store.RecordChangeAsync(Version("old\n", "v1"), Version("new\n", "v2", note: "approved s-1"), _ =>
        {
            applied = true;
            return Task.CompletedTask;
        });

        // Assert
        applied.Should().BeTrue();
        change.Previous.Id.Should().BePositive();
        change.Next.Id.Should().BeGreaterThan(change.Previous.Id);
        change.Next.PreviousId.Should().Be(change.Previous.Id);
        var stored = await store.GetAsync(change.Previous.Id);
        stored.Should().BeEquivalentTo(Version("old\n", "v1") with { Id = change.Previous.Id });
        (await store.GetAsync(change.Next.Id))!.Note.Should().Be("approved s-1");
        (await store.ListAsync("experiments/x.yaml")).Select(v => v.Content).Should().Equal("new\n", "old\n");
        (await store.GetAsync(987654)).Should().BeNull();
    }

    [Fact]
    public async Task DoesNotStoreTheReplacedVersionAgainWhenItIsAlreadyTheNewest()
    {
        // Arrange
        var store = await CreateStoreAsync();
        var first = await store.RecordChangeAsync(Version("a", "v1"), Version("b", "v2"), _ => Task.CompletedTask);

        // Act
        var second = await store.RecordChangeAsync(Version("b", "v2"), Version("c", "v3"), _ => Task.CompletedTask);

        // Assert
        second.Previous.Id.Should().Be(first.Next.Id);
        second.Next.PreviousId.Should().Be(first.Next.Id);
        (await store.ListAsync("experiments/x.yaml")).Select(v => v.Content).Should().Equal("c", "b", "a");
    }

    [Fact]
    public async Task StoresNothingWhenTheWriteFails()
    {
        // Arrange
        var store = await CreateStoreAsync();

        // Act
        var record = () => store.RecordChangeAsync(Version("a", "v1"), Version("b", "v2"), _ => throw new IOException("disk full"));

        // Assert
        await record.Should().ThrowAsync<IOException>();
        (await store.ListAsync("experiments/x.yaml")).Should().BeEmpty();
    }

    [Fact]
    public async Task ChangesRunOneAtATime()
    {
        // Arrange
        var store = await CreateStoreAsync();
        var inside = 0;
        var overlapped = false;
        async Task Apply(CancellationToken token)
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            await Task.Delay(30, token);
            Interlocked.Decrement(ref inside);
        }

        // Act
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => store.RecordChangeAsync(Version($"v{i}", null), Version($"v{i}+", null), Apply))));

        // Assert
        overlapped.Should().BeFalse();
        (await store.ListAsync("experiments/x.yaml")).Should().HaveCount(8);
    }

    private static FileVersion Version(string content, string? contentVersion, string? note = null) => new()
    {
        Kind = FileVersionKinds.Experiment,
        Name = "x",
        Path = "experiments/x.yaml",
        Sha256 = FileContentHash.Compute(content),
        Content = content,
        ContentVersion = contentVersion,
        CreatedBy = "tester",
        CreatedAt = At,
        Note = note,
    };
}
