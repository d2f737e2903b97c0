using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions;

/// <summary>
/// The loop: run the experiment, suggest (analyse, propose, verify), then either stop for a human's decisions or, with
/// <see cref="LoopOptions.AutoApproveSignificant"/>, approve the best prompt suggestion whose gain is significant, run
/// again, and repeat. Scores are measured on the experiment's own split (the held-out test split in the sample), which
/// the suggester never looks at, so the before and after of each round are honest.
/// </summary>
public sealed class ImprovementLoop(ExperimentLoader experiments, DatasetSnapshotter snapshots, ExperimentRunner runner, Suggester suggester, SuggestionApprover approver)
{
    /// <summary>Who an automatic approval is recorded as.</summary>
    public const string AutoApprover = "evalloop loop --auto-approve significant";

    public async Task<LoopOutcome> RunAsync(string experimentPath, LoopOptions options, IProgress<LoopProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1);
        var rounds = new List<LoopRound>();
        RunOutcome? current = null;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var experiment = await experiments.LoadAsync(experimentPath, cancellationToken);
            var scorer = Suggester.PrimaryScorer(experiment);
            if (current is null)
            {
                progress?.Report(new LoopProgress(round, "baseline", $"round {round}: running {experiment.Name} on split {experiment.Split ?? "all"}"));
                current = await RunAsync(experiment, options, cancellationToken);
            }

            var baseline = current;
            progress?.Report(new LoopProgress(round, "suggest", $"round {round}: suggesting from run {baseline.Run.Id}"));
            var outcome = await suggester.SuggestAsync(baseline.Run.Id, options.SuggestProgress, cancellationToken);
            var approved = new List<string>();
            if (options.AutoApproveSignificant)
            {
                // Prompt suggestions edit the same file, so one per round: the best significant one. The others are
                // re-proposed on top of it next round, when they still help.
                var best = outcome.Created.Concat(outcome.AlreadyProposed)
                    .Where(s => s.Kind == SuggestionKinds.Prompt && s.Status == SuggestionStatus.Pending)
                    .Select(s => (Suggestion: s, Evidence: SuggestionJson.TryDeserialize<PromptEvidence>(s.EvidenceJson)!))
                    .Where(t => t.Evidence is { Verdict: Verdicts.Significant, Regressions.Count: 0 })
                    .OrderByDescending(t => t.Evidence.Delta)
                    .FirstOrDefault();
                if (best.Suggestion is not null)
                {
                    progress?.Report(new LoopProgress(round, "approve", $"round {round}: approving {best.Suggestion.Id} ({best.Suggestion.Title})"));
                    await approver.ApproveAsync(best.Suggestion.Id, AutoApprover, $"significant on {best.Evidence.VerificationSet}: p = {best.Evidence.McNemar.PValue:G3}", cancellationToken);
                    approved.Add(best.Suggestion.Id);
                }
            }

            RunOutcome? after = null;
            if (approved.Count > 0)
            {
                var updated = await experiments.LoadAsync(experimentPath, cancellationToken);
                progress?.Report(new LoopProgress(round, "after", $"round {round}: running the new version on split {updated.Split ?? "all"}"));
                after = await RunAsync(updated, options, cancellationToken);
            }

            rounds.Add(new LoopRound(
                round,
                baseline.Run.Id,
                Score(baseline, scorer),
                approved,
                after?.Run.Id,
                after is null ? null : Score(after, scorer),
                outcome.Created.Select(s => s.Id).ToList(),
                outcome.Notes));
            if (after is null)
            {
                break;
            }

            current = after;
        }

        return new LoopOutcome(rounds);
    }

    private async Task<RunOutcome> RunAsync(ExperimentDefinition experiment, LoopOptions options, CancellationToken cancellationToken)
    {
        var dataset = await snapshots.SnapshotAsync(experiment.Dataset, cancellationToken);
        var outcome = await runner.StartAsync(experiment, dataset, new RunOptions(), options.RunProgress, cancellationToken);
        if (outcome.Run.Status != Core.Runs.RunStatus.Completed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"Run {outcome.Run.Id} did not complete: {outcome.Run.Status}{(outcome.Run.Error is { } e ? ": " + e : string.Empty)}.");
        }

        return outcome;
    }

    /// <summary>The mean of <paramref name="scorer"/> over the run (an unscored result counts as it does in the run summary).</summary>
    private static double? Score(RunOutcome outcome, string scorer) => outcome.Summary.Scorers.FirstOrDefault(s => s.Scorer == scorer)?.Mean;
}

/// <summary>How the loop runs.</summary>
public sealed record LoopOptions
{
    public int Rounds { get; init; } = 1;

    /// <summary>Approve the best prompt suggestion whose gain is significant (and that regresses no cluster), then re-run; otherwise stop for a human.</summary>
    public bool AutoApproveSignificant { get; init; }

    public IProgress<RunProgress>? RunProgress { get; init; }

    public IProgress<SuggestProgress>? SuggestProgress { get; init; }
}

/// <summary>A loop's stage, for progress lines.</summary>
public sealed record LoopProgress(int Round, string Stage, string Message);

/// <summary>What the loop did, round by round.</summary>
public sealed record LoopOutcome(IReadOnlyList<LoopRound> Rounds);

/// <summary>
/// One round: the run it started from and its score, the suggestions it approved, and the run of the new version and its
/// score (null when nothing was approved). A score is the mean of the experiment's first target scorer on its split.
/// </summary>
public sealed record LoopRound(
    int Round,
    string BaselineRunId,
    double? BaselineScore,
    IReadOnlyList<string> Approved,
    string? AfterRunId,
    double? AfterScore,
    IReadOnlyList<string> Suggestions,
    IReadOnlyList<string> Notes);
