namespace EvalLoop.Core.Scheduling;

/// <summary>The history of the background jobs' executions, per experiment.</summary>
public interface IJobHistoryStore
{
    /// <summary>Stores a finished execution; returns it with its <see cref="JobExecution.Id"/>.</summary>
    Task<JobExecution> RecordAsync(JobExecution execution, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="limit"/> executions of <paramref name="experimentName"/>, newest first.</summary>
    Task<IReadOnlyList<JobExecution>> ListAsync(string experimentName, int limit = 20, CancellationToken cancellationToken = default);
}
