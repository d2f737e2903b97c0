namespace EvalLoop.Core.Running;

/// <summary>A run another executor (usually another process) is working on right now.</summary>
public sealed class RunBusyException(string runId)
    : Exception($"Run {runId} is being executed by another process; wait for it to finish (or stop it) and try again.")
{
    public string RunId { get; } = runId;
}
