namespace EvalLoop.Core.Running;

/// <summary>
/// Makes sure one executor at a time works on a run: two processes resuming the same interrupted run (a CLI and the
/// service, or two CLIs) would otherwise both execute its missing cases.
/// </summary>
public interface IRunLock
{
    /// <summary>Takes <paramref name="runId"/> for the caller until the result is disposed; null when someone else holds it.</summary>
    IDisposable? TryAcquire(string runId);
}

/// <summary>A run another executor (usually another process) is working on right now.</summary>
public sealed class RunBusyException(string runId)
    : Exception($"Run {runId} is being executed by another process; wait for it to finish (or stop it) and try again.")
{
    public string RunId { get; } = runId;
}
