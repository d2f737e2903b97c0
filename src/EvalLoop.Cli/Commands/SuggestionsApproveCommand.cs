using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Presentation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop suggestions approve ID [--rerun]</c>: write the suggestion's change into the prompt, dataset or scorer
/// file (or a goal draft's new files) as a new version (the previous content stays in the version history), refusing if the file changed since the
/// suggestion was made; with <c>--rerun</c>, run the experiment again on the new version (for a goal draft, the
/// experiments it wrote, as the service does).
/// </summary>
public sealed class SuggestionsApproveCommand : EvalLoopCommand<SuggestionsApproveCommand.Settings>
{
    public sealed class Settings : SuggestionsDecisionSettings
    {
        [CommandOption("--rerun")]
        [Description("Run the experiment again after writing the new version (for a goal draft, the experiments it wrote), and show the result.")]
        public bool Rerun { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var before = await services.Suggestions.GetAsync(settings.Id, cancellationToken)
            ?? throw new UsageException($"there is no suggestion '{settings.Id}' (see: evalloop suggestions list)");
        if (before.Kind == SuggestionKinds.Prompt
            && EvalLoop.Suggestions.Changes.SuggestionJson.TryDeserialize<EvalLoop.Suggestions.Verification.PromptEvidence>(before.EvidenceJson)?.Verdict != EvalLoop.Suggestions.Verification.Verdicts.Significant)
        {
            ErrorOutput.Warning("note", $"{before.Id}'s measured gain is not significant ({SuggestionText.Effect(before)}); approving anyway.");
        }

        ApprovalResult result;
        try
        {
            result = await services.Approver.ApproveAsync(settings.Id, settings.Decider, settings.Reason, cancellationToken);
        }
        catch (Exception ex) when (SuggestionRefusals.IsRefusal(ex))
        {
            // Decided first by someone else, or the change no longer applies: a refusal (2), not a crash. Any other
            // failure (e.g. the decision could not be stored) goes on to the runtime error (3).
            ErrorOutput.Error("refused: " + ex.Message);
            return ExitCodes.UsageOrInput;
        }
        catch (KeyNotFoundException ex)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }

        if (result.Suggestion.Kind == SuggestionKinds.Goal)
        {
            GoalApproveCommand.WriteApproved(Out, result);
            if (!settings.Rerun)
            {
                return ExitCodes.Success;
            }

            // As the service does: run the experiments the draft wrote, each on its own; the exit code is the worst.
            var exitCode = ExitCodes.Success;
            foreach (var drafted in result.DraftedExperiments)
            {
                exitCode = Math.Max(exitCode, await RerunAsync(services, Path.GetFullPath(drafted.FilePath, services.Layout.Root), cancellationToken));
                if (exitCode == ExitCodes.Interrupted)
                {
                    break;
                }
            }

            return exitCode;
        }

        var version = result.Suggestion.ResultingVersion is { Length: > 12 } v ? v[..12] : result.Suggestion.ResultingVersion;
        Out.MarkupLine(Markup.Escape($"Approved {result.Suggestion.Id} by {result.Suggestion.DecidedBy}: wrote {result.FilePath} as version {version} (file version #{result.Versions.Next.Id}; the previous content is kept as #{result.Versions.Previous.Id}: evalloop versions restore {result.Versions.Previous.Id} puts it back)."));
        foreach (var other in result.Files.Skip(1))
        {
            Out.MarkupLine(Markup.Escape($"  also wrote {other.FilePath} (file version #{other.Versions.Next.Id}; the previous content is kept as #{other.Versions.Previous.Id})."));
        }

        if (!settings.Rerun)
        {
            Out.MarkupLine(Markup.Escape($"  evalloop run {await ExperimentForAsync(services, result, cancellationToken)} --workspace {services.Layout.Root}   # measure the new version"));
            return ExitCodes.Success;
        }

        return await RerunAsync(services, await ExperimentForAsync(services, result, cancellationToken), cancellationToken);
    }

    /// <summary>Runs the experiment at (or named) <paramref name="experimentPath"/> with progress and shows its summary; returns the exit code.</summary>
    private static async Task<int> RerunAsync(EvalLoopServices services, string experimentPath, CancellationToken cancellationToken)
    {
        var experiment = await services.Experiments.LoadAsync(experimentPath, cancellationToken);
        var dataset = await services.Snapshots.SnapshotAsync(experiment.Dataset, cancellationToken);
        var outcome = await RunProgressDisplay.RunAsync(Out, experiment.Name, p => services.Runner.StartAsync(experiment, dataset, new RunOptions(), p, cancellationToken));
        Out.WriteLine();
        RunSummaryView.Write(Out, outcome.Run, outcome.Summary, outcome.Evaluation);
        return outcome.Interrupted ? ExitCodes.Interrupted
            : outcome.Run.Status == Core.Runs.RunStatus.Failed ? ExitCodes.RuntimeError
            : ExitCodes.Success;
    }

    /// <summary>The experiment to re-run: the approved prompt's file, else the file of the run the suggestion came from.</summary>
    private static async Task<string> ExperimentForAsync(EvalLoopServices services, ApprovalResult result, CancellationToken cancellationToken)
    {
        if (result.Suggestion.Kind == SuggestionKinds.Prompt)
        {
            return Path.GetFullPath(result.FilePath, services.Layout.Root);
        }

        var run = await services.Runs.GetRunAsync(result.Suggestion.RunId, cancellationToken);
        return run?.ExperimentPath ?? result.Suggestion.ExperimentName;
    }
}
