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
