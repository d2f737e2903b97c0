using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// Syncs the schedules from <c>experiments/*.yaml</c> when the host starts, before the scheduler fires anything, then
/// (unless <see cref="EvalLoopServiceOptions.WatchExperiments"/> is off) keeps them in sync with the folder through an
/// <see cref="ExperimentFolderWatcher"/>, disposed when the host stops.
/// </summary>
public sealed class ScheduleSyncService(ExperimentSchedules schedules, EvalLoopServiceOptions options, Composition.EvalLoopServices services, TimeProvider timeProvider, ILogger<ScheduleSyncService> logger)
    : IHostedService, IAsyncDisposable
{
    private ExperimentFolderWatcher? _watcher;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Started before the first sync, so a file written during it is not missed (it only costs one more sync).
        if (options.WatchExperiments)
        {
            _watcher = ExperimentFolderWatcher.Start(services.Layout.ExperimentsDirectory, schedules.SyncAsync, options.WatchDebounce, timeProvider, logger);
        }

        await schedules.SyncAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _watcher, null) is { } watcher)
        {
            await watcher.DisposeAsync();
        }
    }
}
