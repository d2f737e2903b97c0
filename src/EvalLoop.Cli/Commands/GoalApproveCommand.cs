using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Goals;
using Spectre.Console;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop goal approve ID</c>: write the files of a pending goal draft (all new files, or none). An alias of
/// <c>suggestions approve ID</c> for goal drafts: both go through <see cref="SuggestionApprover"/>.
/// </summary>
public sealed class GoalApproveCommand : EvalLoopCommand<SuggestionsDecisionSettings>
{
    protected override async Task<int> RunAsync(SuggestionsDecisionSettings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        try
        {
            var suggestion = await services.Suggestions.GetAsync(settings.Id, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no suggestion '{settings.Id}' (see: evalloop suggestions list).");
            if (suggestion.Kind != SuggestionKinds.Goal)
            {
                throw new UsageException($"Suggestion {settings.Id} is a {suggestion.Kind} suggestion; approve it with: evalloop suggestions approve {settings.Id}");
            }

            var result = await services.Approver.ApproveAsync(settings.Id, settings.Decider, settings.Reason, cancellationToken);
            WriteApproved(Out, result);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (SuggestionRefusals.IsRefusal(ex))
        {
            ErrorOutput.Error("refused: " + ex.Message);
            return ExitCodes.UsageOrInput;
        }
        catch (KeyNotFoundException ex)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }
    }

    /// <summary>What an approved goal draft wrote, and what to do next.</summary>
    internal static void WriteApproved(IAnsiConsole console, ApprovalResult result)
    {
        var draft = GoalDraftSuggestions.Read(result.Suggestion);
        console.MarkupLine(Markup.Escape($"Approved {result.Suggestion.Id} by {result.Suggestion.DecidedBy}: wrote {string.Join(", ", result.Files.Select(f => $"{f.FilePath} (file version #{f.Versions.Next.Id})"))} (goal version {result.Suggestion.ResultingVersion})."));
        console.MarkupLine(Markup.Escape($"  evalloop goal show {draft.GoalName}"));
    }
}
