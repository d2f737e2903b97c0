using EvalLoop.Core.Analysis;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Planning;

namespace EvalLoop.Suggestions;

/// <summary>What one <see cref="Suggester.SuggestAsync"/> produced.</summary>
/// <param name="Created">New suggestions, verified, pending a human decision; best prompt suggestion first.</param>
/// <param name="AlreadyProposed">Earlier suggestions the same candidates matched (not proposed again): pending on an unchanged base, approved, or rejected.</param>
/// <param name="Notes">What the user should know: split compromises, model replies that could not be used.</param>
public sealed record SuggestOutcome(
    RunRecord RequestedRun,
    RunRecord AnalysisRun,
    ClusterAnalysis? Analysis,
    SplitPlan Plan,
    IReadOnlyList<Suggestion> Created,
    IReadOnlyList<Suggestion> AlreadyProposed,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Pending suggestions this round marked superseded because a file they were made against changed since (approval
    /// would refuse them); their reason says which. Their change, when a strategy still proposes it, is among
    /// <see cref="Created"/>, made and verified on the current file.
    /// </summary>
    public IReadOnlyList<Suggestion> Superseded { get; init; } = [];
}

/// <summary>Where a suggestion round is: a stage name and a line for the user.</summary>
public sealed record SuggestProgress(string Stage, string Message);
