using System.ComponentModel;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Suggestions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop suggestions list</c>: suggestions, newest first, optionally of one status or experiment.</summary>
public sealed class SuggestionsListCommand : EvalLoopCommand<SuggestionsListCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--status <STATUS>")]
        [Description("Only suggestions in this status: pending, approved, rejected or superseded.")]
        public string? Status { get; init; }

        [CommandOption("--experiment <NAME>")]
        [Description("Only suggestions for this experiment.")]
        public string? Experiment { get; init; }

        [CommandOption("--limit <N>")]
        [Description("At most N suggestions (default 50).")]
        public int Limit { get; init; } = 50;

        [CommandOption("--json")]
        [Description("Print a JSON array on stdout.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Status is not null && !SuggestionStatus.IsKnown(Status) ? ValidationResult.Error($"--status must be one of {string.Join(", ", SuggestionStatus.All)}")
            : Limit < 1 ? ValidationResult.Error("--limit must be at least 1")
            : ValidationResult.Success();
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var suggestions = await services.Suggestions.ListAsync(new SuggestionQuery { Status = settings.Status, ExperimentName = settings.Experiment, Limit = settings.Limit }, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(new JsonArray(suggestions.Select(s => (JsonNode)SuggestionJsonOutput.Summary(s)).ToArray()).ToJsonString(SuggestionJsonOutput.Options));
            return ExitCodes.Success;
        }

        SuggestionView.WriteList(Out, suggestions, settings.Status is null ? "suggestions" : $"{settings.Status} suggestions");
        return ExitCodes.Success;
    }
}
