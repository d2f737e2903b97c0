using EvalLoop.Core.Analysis;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Planning;

namespace EvalLoop.Suggestions;

/// <summary>What one <see cref="Suggester.SuggestAsync"/> produced.</summary>
/// <param name="Created">New suggestions, verified, pending a human decision; best prompt suggestion first.</param>
/// <param name="AlreadyProposed">Earlier suggestions the same candidates matched (not proposed again).</param>
/// <param name="Notes">What the user should know: split compromises, model replies that could not be used.</param>
public sealed record SuggestOutcome(
    RunRecord RequestedRun,
    RunRecord AnalysisRun,
    ClusterAnalysis? Analysis,
    SplitPlan Plan,
    IReadOnlyList<Suggestion> Created,
    IReadOnlyList<Suggestion> AlreadyProposed,
    IReadOnlyList<string> Notes);

/// <summary>Where a suggestion round is: a stage name and a line for the user.</summary>
public sealed record SuggestProgress(string Stage, string Message);
