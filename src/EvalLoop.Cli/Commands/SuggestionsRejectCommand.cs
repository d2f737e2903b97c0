using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Applying;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop suggestions reject ID --reason TEXT</c>: record the rejection; the same change is never proposed again.</summary>
public sealed class SuggestionsRejectCommand : EvalLoopCommand<SuggestionsRejectCommand.Settings>
{
    public sealed class Settings : SuggestionsDecisionSettings
    {
        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason \"...\" is required: it is kept with the suggestion") : ValidationResult.Success();
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        Suggestion rejected;
        try
        {
            rejected = await services.Approver.RejectAsync(settings.Id, settings.Decider, settings.Reason!, cancellationToken);
        }
        catch (Exception ex) when (SuggestionRefusals.IsRefusal(ex) || ex is KeyNotFoundException)
        {
            // Unknown, or decided first by someone else: 2. Any other failure goes on to the runtime error (3).
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }

        Out.MarkupLine(Markup.Escape($"Rejected {rejected.Id} by {rejected.DecidedBy}: {rejected.DecisionReason}. It will not be proposed again unchanged."));
        return ExitCodes.Success;
    }
}
