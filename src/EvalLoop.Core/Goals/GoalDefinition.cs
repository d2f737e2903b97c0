namespace EvalLoop.Core.Goals;

/// <summary>
/// A goal: what good looks like, in the user's words, split into requirements, each mapped explicitly to the scorers
/// (on experiments that serve the goal, optionally on a dataset slice) that measure it. Kept as
/// <c>experiments/goals/NAME.yaml</c>; the file is the version (it is diffed in git and versioned on approval).
/// </summary>
public sealed record GoalDefinition
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>The experiments that serve the goal (names in <c>experiments/</c>).</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    public IReadOnlyList<GoalRequirement> Requirements { get; init; } = [];

    /// <summary>The YAML file this came from (absolute), or null when built in code.</summary>
    public string? SourcePath { get; init; }
}

/// <summary>One requirement of a goal; it is covered when <see cref="CoveredBy"/> is not empty.</summary>
/// <param name="Target">The minimum pass rate (0..1) each covering scorer must reach; null means no target: the pass rate is reported (status <see cref="GoalStatus.NoTarget"/>), never met or missed.</param>
public sealed record GoalRequirement(string Id, string Text, double? Target, IReadOnlyList<GoalCoverage> CoveredBy, int Line)
{
    public bool IsCovered => CoveredBy.Count > 0;
}

/// <summary>A scorer of an experiment that measures a requirement, optionally only on the cases whose metadata match <see cref="Slice"/>.</summary>
public sealed record GoalCoverage(string Experiment, string Scorer, IReadOnlyDictionary<string, string>? Slice)
{
    /// <summary>The slice as text: <c>key=value, ...</c>, or <c>all cases</c>.</summary>
    public string SliceText => Slice is { Count: > 0 } s ? string.Join(", ", s.Select(kv => $"{kv.Key}={kv.Value}")) : "all cases";
}
