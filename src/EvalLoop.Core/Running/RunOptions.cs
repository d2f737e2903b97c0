using EvalLoop.Core.Runs;

namespace EvalLoop.Core.Running;

/// <summary>Per-invocation knobs of the runner.</summary>
public sealed record RunOptions
{
    /// <summary>Read and write the response cache (<c>--no-cache</c> turns it off).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Results per transaction, at most.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>How long a finished result may wait in memory before it is written.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Overrides the experiment's concurrency when set.</summary>
    public int? Concurrency { get; init; }

    /// <summary>
    /// The purpose a new run is stored with from its start (<see cref="RunModes"/>): <see cref="RunModes.Full"/> for a
    /// user's run; the suggester's analysis and verification runs use their own modes, so an interrupted one is never
    /// mistaken for a user's run.
    /// </summary>
    public string Mode { get; init; } = RunModes.Full;

    /// <summary>The run a new run serves (the suggester's runs name the run they were made for).</summary>
    public string? ParentRunId { get; init; }
}
