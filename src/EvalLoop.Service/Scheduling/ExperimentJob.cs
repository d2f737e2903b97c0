using Microsoft.Extensions.Logging;
using Quartz;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// The Quartz job of one experiment: one iteration of <see cref="ExperimentPipeline"/>. One run of an experiment at a
/// time: a trigger that fires while the experiment's job runs waits until it ends (<see cref="DisallowConcurrentExecutionAttribute"/>).
/// A failed job is logged and reported to Quartz; it never stops the host.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ExperimentJob(ExperimentPipeline pipeline, ILogger<ExperimentJob> logger) : IJob
{
    /// <summary>The job data key holding the experiment's name.</summary>
    public const string ExperimentKey = "experiment";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var experiment = context.MergedJobDataMap.GetString(ExperimentKey) ?? context.JobDetail.Key.Name;
        try
        {
            var run = await pipeline.RunAsync(experiment, cancellationToken);
            context.Result = run.Id;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the run is stored as interrupted and can be resumed (evalloop run --resume).
            LogCancelled(logger, experiment);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, experiment);
            throw new JobExecutionException(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The job of {Experiment} was cancelled by the host stopping")]
    private static partial void LogCancelled(ILogger logger, string experiment);

    [LoggerMessage(Level = LogLevel.Error, Message = "The job of {Experiment} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string experiment);
}
