using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Suggestions.Goals;
using Spectre.Console;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop goal approve ID</c>: write the files of a pending goal draft (all new files, or none).</summary>
public sealed class GoalApproveCommand : EvalLoopCommand<SuggestionsDecisionSettings>
{
    protected override async Task<int> RunAsync(SuggestionsDecisionSettings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var goals = new GoalDraftSuggestions(services.Suggestions, services.Runs, services.Layout);
        try
        {
            var decided = await goals.ApproveAsync(settings.Id, settings.Decider, settings.Reason, cancellationToken);
            var draft = GoalDraftSuggestions.Read(decided);
            Out.MarkupLine(Markup.Escape($"Approved {decided.Id} by {decided.DecidedBy}: wrote {string.Join(", ", draft.Files.Select(f => f.Path))} (goal version {decided.ResultingVersion})."));
            Out.MarkupLine(Markup.Escape($"  evalloop goal show {draft.GoalName}"));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or Core.Suggestions.SuggestionConcurrencyException)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }
    }
}
