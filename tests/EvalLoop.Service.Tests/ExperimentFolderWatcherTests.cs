using EvalLoop.Service.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EvalLoop.Service.Tests;

public sealed class ExperimentFolderWatcherTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "evalloop-watch-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();
    private int _syncs;

    public ExperimentFolderWatcherTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task ABurstOfChangesIsOneSyncAfterTheFolderIsQuiet()
    {
        // Arrange
        await using var watcher = Start();

        // Act: ten files written at once, then the debounce interval passes with no further change.
        for (var i = 0; i < 10; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, $"e{i}.yaml"), "name: e\n");
        }

        await ServiceHost.EventuallyAsync(() => Task.FromResult(watcher!.Changes), n => n >= 10, "the change events");

        // Assert: nothing syncs while the debounce interval has not passed; then exactly one sync covers the burst.
        Volatile.Read(ref _syncs).Should().Be(0);
        await ServiceHost.EventuallyAsync(
            () =>
            {
                _time.Advance(Debounce);
                return Task.FromResult(Volatile.Read(ref _syncs));
            },
            n => n > 0,
            "the sync");
        Volatile.Read(ref _syncs).Should().Be(1);
    }

    [Fact]
    public async Task KeepsWatchingAfterAFailingSync()
    {
        // Arrange
        var calls = 0;
        await using var watcher = ExperimentFolderWatcher.Start(_folder, _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("sync failed");
        }, Debounce, _time, NullLogger.Instance);

        // Act
        await File.WriteAllTextAsync(Path.Combine(_folder, "a.yml"), "name: a\n");
        await ServiceHost.EventuallyAsync(() => { _time.Advance(Debounce); return Task.FromResult(Volatile.Read(ref calls)); }, n => n == 1, "the first (failing) sync");
        await File.WriteAllTextAsync(Path.Combine(_folder, "b.yaml"), "name: b\n");

        // Assert
        await ServiceHost.EventuallyAsync(() => { _time.Advance(Debounce); return Task.FromResult(Volatile.Read(ref calls)); }, n => n == 2, "a sync after the failing one");
        watcher!.Changes.Should().BeGreaterThan(0);
    }

    [Fact]
    public void WatchesNothingWhenTheFolderDoesNotExist() =>
        ExperimentFolderWatcher.Start(Path.Combine(_folder, "missing"), _ => Task.CompletedTask, Debounce, _time, NullLogger.Instance).Should().BeNull();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ExperimentFolderWatcher? Start() => ExperimentFolderWatcher.Start(_folder, _ =>
    {
        Interlocked.Increment(ref _syncs);
        return Task.CompletedTask;
    }, Debounce, _time, NullLogger.Instance);
}
