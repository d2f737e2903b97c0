namespace EvalLoop.Core.Suggestions;

/// <summary>What a <see cref="Suggestion"/> proposes to change.</summary>
public static class SuggestionKinds
{
    /// <summary>A new version of the experiment's prompt.</summary>
    public const string Prompt = "prompt";

    /// <summary>Cases to add, fix or relabel in the dataset (a new dataset version).</summary>
    public const string Dataset = "dataset";

    /// <summary>A scorer to add or reconfigure.</summary>
    public const string Scorer = "scorer";

    /// <summary>A change to the experiment's goal (its targets).</summary>
    public const string Goal = "goal";

    /// <summary>Every kind, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [Prompt, Dataset, Scorer, Goal];

    /// <summary>Whether <paramref name="kind"/> is one of <see cref="All"/> (ordinal, case-sensitive).</summary>
    public static bool IsKnown(string? kind) => kind is Prompt or Dataset or Scorer or Goal;
}
