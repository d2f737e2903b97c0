using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// Watches <c>experiments/</c> for added, changed, renamed and deleted <c>*.yaml</c>/<c>*.yml</c> files and re-syncs
/// the schedules (<see cref="ExperimentSchedules.SyncAsync"/>) once the folder has been quiet for the debounce
/// interval: an editor's burst of writes (temp file, rename, touch) becomes one sync. A file that does not load is
/// recorded in <see cref="ExperimentSchedules.SyncErrors"/> by the sync; a failing sync is logged and the watcher goes
/// on. Disposing stops watching and waits for a sync in progress to end.
/// </summary>
public sealed partial class ExperimentFolderWatcher : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _sync;
    private readonly TimeSpan _debounce;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _version;

    private ExperimentFolderWatcher(string folder, Func<CancellationToken, Task> sync, TimeSpan debounce, TimeProvider time, ILogger logger)
    {
        _sync = sync;
        _debounce = debounce;
        _time = time;
        _logger = logger;
        _watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        _watcher.Filters.Add("*.yaml");
        _watcher.Filters.Add("*.yml");
        _watcher.Created += OnChanged;
        _watcher.Changed += OnChanged;
        _watcher.Deleted += OnChanged;
        _watcher.Renamed += OnChanged;
        _watcher.Error += OnError;
        try
        {
            // Can fail (e.g. the inotify watch limit on Linux); then nothing was started and nothing is left running.
            _watcher.EnableRaisingEvents = true;
        }
        catch
        {
            _watcher.Dispose();
            _stopping.Dispose();
            _changed.Dispose();
            throw;
        }

        _loop = Task.Run(() => LoopAsync(_stopping.Token));
    }

    /// <summary>Starts watching <paramref name="folder"/>, calling <paramref name="sync"/> after each quiet burst of changes; null when the folder does not exist.</summary>
    public static ExperimentFolderWatcher? Start(string folder, Func<CancellationToken, Task> sync, TimeSpan debounce, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!Directory.Exists(folder))
        {
            LogNoFolder(logger, folder);
            return null;
        }

        try
        {
            return new ExperimentFolderWatcher(folder, sync, debounce, time, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Watching is a convenience: without it the schedules are synced at start and by a restart.
            LogCannotWatch(logger, ex, folder);
            return null;
        }
    }

    /// <summary>How many change events have arrived so far (for tests: a burst has been seen once this stops growing).</summary>
    internal long Changes => Interlocked.Read(ref _version);

    public async ValueTask DisposeAsync()
    {
        _watcher.EnableRaisingEvents = false;
        _watcher.Dispose();
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting or syncing.
        }

        _stopping.Dispose();
        _changed.Dispose();
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => Signal();

    private void OnError(object sender, ErrorEventArgs e)
    {
        // The watcher's buffer overflowed (too many changes at once): a full sync still sees every file.
        LogWatchError(_logger, e.GetException());
        Signal();
    }

    private void Signal()
    {
        Interlocked.Increment(ref _version);
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sync is already pending; the debounce below picks this change up too.
        }
        catch (ObjectDisposedException)
        {
            // An event raced with disposal.
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _changed.WaitAsync(cancellationToken);

            // Debounce: wait until no change arrived for a whole interval, so a burst of events costs one sync.
            long seen;
            do
            {
                seen = Interlocked.Read(ref _version);
                await Task.Delay(_debounce, _time, cancellationToken);
            }
            while (Interlocked.Read(ref _version) != seen);

            // The changes seen so far are covered by this sync; drain a signal they left behind.
            _changed.Wait(0, CancellationToken.None);
            try
            {
                await _sync(cancellationToken);
                LogSynced(_logger);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSyncFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Folder} for changed experiment files; schedules are synced at start only")]
    private static partial void LogCannotWatch(ILogger logger, Exception exception, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiments changed: schedules re-synced")]
    private static partial void LogSynced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-syncing the schedules after a change in experiments/ failed; the previous schedules stay")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching experiments/ reported an error; re-syncing everything")]
    private static partial void LogWatchError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not watching {Folder} for changes: it does not exist")]
    private static partial void LogNoFolder(ILogger logger, string folder);
}
