using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Planning;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions;

/// <summary>
/// The loop: run the experiment, suggest (analyse, propose, verify), then either stop for a human's decisions or, with
/// <see cref="LoopOptions.AutoApproveSignificant"/>, approve the best prompt suggestion whose gain is significant, run
/// again, and repeat. Before and after are measured on the split plan's held-out split (<c>test</c>), whatever split the
/// experiment names: the suggester never reads it (no analysis, no examples, no verification), so the figures are honest.
/// The loop refuses an experiment whose dataset has no such split.
/// </summary>
public sealed class ImprovementLoop(ExperimentLoader experiments, DatasetSnapshotter snapshots, ExperimentRunner runner, Suggester suggester, SuggestionApprover approver)
{
    /// <summary>Who an automatic approval is recorded as.</summary>
    public const string AutoApprover = "evalloop loop --auto-approve significant";

    /// <exception cref="WorkspaceFileException">The experiment's dataset has no held-out split besides the split the suggester works on.</exception>
    /// <exception cref="InvalidOperationException">A run did not complete.</exception>
    public async Task<LoopOutcome> RunAsync(string experimentPath, LoopOptions options, IProgress<LoopProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1);
        var rounds = new List<LoopRound>();
        RunOutcome? current = null;
        // The loop approves only prompt suggestions, so the dataset and its held-out split stay as they are for every round.
        var heldOut = await HeldOutSplitAsync(await experiments.LoadAsync(experimentPath, cancellationToken), cancellationToken);
        for (var round = 1; round <= options.Rounds; round++)
        {
            var experiment = await experiments.LoadAsync(experimentPath, cancellationToken);
            var scorer = Suggester.PrimaryScorer(experiment);
            if (current is null)
            {
                progress?.Report(new LoopProgress(round, "baseline", $"round {round}: running {experiment.Name} on the held-out split '{heldOut}'"));
                current = await RunAsync(experiment with { Split = heldOut }, options, cancellationToken);
            }

            var baseline = current;
            progress?.Report(new LoopProgress(round, "suggest", $"round {round}: suggesting from run {baseline.Run.Id}"));
            var outcome = await suggester.SuggestAsync(baseline.Run.Id, options.SuggestProgress, cancellationToken);
            var approved = new List<string>();
            var skipped = new List<LoopSkip>();
            if (options.AutoApproveSignificant)
            {
                // Prompt suggestions edit the same file, so one per round: the best significant one that still applies.
                // The others are re-proposed on top of it next round, when they still help.
                var candidates = outcome.Created.Concat(outcome.AlreadyProposed)
                    .Where(s => s.Kind == SuggestionKinds.Prompt && s.Status == SuggestionStatus.Pending)
                    .Select(s => (Suggestion: s, Evidence: SuggestionJson.TryDeserialize<PromptEvidence>(s.EvidenceJson)!))
                    .Where(t => t.Evidence is { Verdict: Verdicts.Significant, Regressions.Count: 0 })
                    .OrderByDescending(t => t.Evidence.Delta)
                    .ToList();
                foreach (var (suggestion, evidence) in candidates)
                {
                    progress?.Report(new LoopProgress(round, "approve", $"round {round}: approving {suggestion.Id} ({suggestion.Title})"));
                    try
                    {
                        await approver.ApproveAsync(suggestion.Id, AutoApprover, $"significant on {evidence.VerificationSet}: p = {evidence.McNemar.PValue:G3}", cancellationToken);
                        approved.Add(suggestion.Id);
                        break;
                    }
                    catch (Exception ex) when (SuggestionRefusals.IsRefusal(ex))
                    {
                        // It no longer applies (its file changed) or someone decided it first: nothing was written, so
                        // the next candidate is tried; the round says why this one was passed over.
                        progress?.Report(new LoopProgress(round, "skip", $"round {round}: skipped {suggestion.Id}: {ex.Message}"));
                        skipped.Add(new LoopSkip(suggestion.Id, ex.Message));
                    }
                }
            }

            RunOutcome? after = null;
            if (approved.Count > 0)
            {
                var updated = await experiments.LoadAsync(experimentPath, cancellationToken);
                progress?.Report(new LoopProgress(round, "after", $"round {round}: running the new version on the held-out split '{heldOut}'"));
                after = await RunAsync(updated with { Split = heldOut }, options, cancellationToken);
            }

            rounds.Add(new LoopRound(
                round,
                baseline.Run.Id,
                Score(baseline, scorer),
                approved,
                after?.Run.Id,
                after is null ? null : Score(after, scorer),
                outcome.Created.Select(s => s.Id).ToList(),
                outcome.Notes)
            {
                HeldOutSplit = heldOut,
                Skipped = skipped,
            });
            if (after is null)
            {
                break;
            }

            current = after;
        }

        return new LoopOutcome(rounds);
    }

    /// <summary>
    /// The split the loop measures on: the held-out split of the plan the suggester will make. The split stays held out
    /// only when the suggester, planning from a run on it, still works on another split (a <c>dev</c> split).
    /// </summary>
    private async Task<string> HeldOutSplitAsync(ExperimentDefinition experiment, CancellationToken cancellationToken)
    {
        var dataset = await snapshots.SnapshotAsync(experiment.Dataset, cancellationToken);
        var cases = new List<DatasetCase>(dataset.CaseCount);
        await foreach (var c in suggester.Datasets.ReadCasesAsync(dataset.Version, null, cancellationToken))
        {
            cases.Add(c);
        }

        var heldOut = SplitPlanner.Plan(cases, experiment.Split).HeldOutSplit;
        if (heldOut is null || SplitPlanner.Plan(cases, heldOut).HeldOutSplit != heldOut)
        {
            // Bad input, not a fault: the experiment's dataset cannot support the loop (exit code 2 in the CLI).
            throw new WorkspaceFileException(
                experiment.SourcePath ?? dataset.SourcePath ?? dataset.Name,
                null,
                "dataset",
                $"The loop measures before and after on a held-out split the suggester never reads, and dataset {dataset.Name} has none: it needs a '{SplitPlanner.HeldOutSplit}' split besides a '{SplitPlanner.WorkingSplit}' split to analyse and verify on (and, for examples, a '{SplitPlanner.PoolSplit}' split). Splits now: {(dataset.SplitCounts.Count == 0 ? "none" : string.Join(", ", dataset.SplitCounts.Keys))}.");
        }

        return heldOut;
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
/// score (null when nothing was approved). A score is the mean of the experiment's first target scorer on the held-out
/// split (<see cref="HeldOutSplit"/>).
/// </summary>
public sealed record LoopRound(
    int Round,
    string BaselineRunId,
    double? BaselineScore,
    IReadOnlyList<string> Approved,
    string? AfterRunId,
    double? AfterScore,
    IReadOnlyList<string> Suggestions,
    IReadOnlyList<string> Notes)
{
    /// <summary>The split both runs of the round were measured on, which the suggester never reads.</summary>
    public string? HeldOutSplit { get; init; }

    /// <summary>Significant suggestions the round tried to approve and passed over, with why (e.g. their file changed since).</summary>
    public IReadOnlyList<LoopSkip> Skipped { get; init; } = [];
}

/// <summary>A suggestion the loop could not approve and moved past: its id and the refusal.</summary>
public sealed record LoopSkip(string SuggestionId, string Reason);
