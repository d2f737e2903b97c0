using Microsoft.Extensions.Hosting;

namespace EvalLoop.Service.Scheduling;

/// <summary>Syncs the schedules from <c>experiments/*.yaml</c> when the host starts, before the scheduler fires anything.</summary>
public sealed class ScheduleSyncService(ExperimentSchedules schedules) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schedules.SyncAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
