using Quartz;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// The Quartz job of an experiment whose overlap policy is <c>wait</c> (the default): one iteration of
/// <see cref="ExperimentPipeline"/>. A trigger that fires while the experiment's job runs waits until it ends
/// (<see cref="DisallowConcurrentExecutionAttribute"/>); see <see cref="ExperimentJobExecutor"/>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ExperimentJob(ExperimentJobExecutor executor) : IJob
{
    /// <summary>The job data key holding the experiment's name.</summary>
    public const string ExperimentKey = "experiment";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await executor.ExecuteAsync(context, OverlapPolicy.Wait, cancellationToken);
}
