namespace EvalLoop.Analysis.Signals;

/// <summary>
/// Why one result failed, from its structured signals alone; also the <see cref="Core.Analysis.FailureCluster.Kind"/>
/// of a cluster whose members mostly share it (else <see cref="Mixed"/>).
/// </summary>
public static class FailureKinds
{
    /// <summary>No output: the model call (or the template) failed.</summary>
    public const string Error = "error";

    /// <summary>An output that is empty or only whitespace.</summary>
    public const string EmptyOutput = "empty-output";

    /// <summary>Classification-like task: the output is not one of the allowed labels.</summary>
    public const string InvalidLabel = "invalid-label";

    /// <summary>Classification-like task: a valid label, but not the expected one.</summary>
    public const string Confusion = "confusion";

    /// <summary>Anything else a scorer failed (free-text tasks, or a right label that another scorer failed).</summary>
    public const string Scorer = "scorer";

    /// <summary>A cluster with no kind shared by most of its members.</summary>
    public const string Mixed = "mixed";

    /// <summary>The kinds of a failure with an output, in the order the analyzer clusters them.</summary>
    public static IReadOnlyList<string> OutputKinds { get; } = [EmptyOutput, InvalidLabel, Confusion, Scorer];
}
