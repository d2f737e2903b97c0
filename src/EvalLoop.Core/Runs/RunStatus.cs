namespace EvalLoop.Core.Runs;

/// <summary>Lifecycle of a run. An <see cref="Interrupted"/> or <see cref="Running"/> run (after a crash) can be resumed.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Interrupted = "interrupted";
    public const string Failed = "failed";
}
