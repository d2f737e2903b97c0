using Quartz;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// The Quartz job of an experiment whose overlap policy is <c>skip</c>: Quartz may start it while the experiment runs
/// (no <see cref="DisallowConcurrentExecutionAttribute"/>), and then it does nothing but record a skipped execution;
/// see <see cref="ExperimentJobExecutor"/>.
/// </summary>
public sealed class SkippingExperimentJob(ExperimentJobExecutor executor) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await executor.ExecuteAsync(context, OverlapPolicy.Skip, cancellationToken);
}
