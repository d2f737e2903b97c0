using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Suggestions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop suggestions show ID</c>: one suggestion with its diff, evidence, provenance and audit history.</summary>
public sealed class SuggestionsShowCommand : EvalLoopCommand<SuggestionsShowCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("The suggestion (see: evalloop suggestions list).")]
        public string Id { get; init; } = string.Empty;

        [CommandOption("--full-diff")]
        [Description("Print the whole diff, not only its first lines.")]
        public bool FullDiff { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object (change, evidence, diff, history) on stdout.")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var suggestion = await services.Suggestions.GetAsync(settings.Id, cancellationToken)
            ?? throw new UsageException($"there is no suggestion '{settings.Id}' (see: evalloop suggestions list)");
        var history = new List<SuggestionEvent>();
        await foreach (var e in services.Suggestions.ReadHistoryAsync(suggestion.Id, cancellationToken))
        {
            history.Add(e);
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(SuggestionJsonOutput.Details(suggestion, history).ToJsonString(SuggestionJsonOutput.Options));
            return ExitCodes.Success;
        }

        SuggestionView.WriteDetails(Out, suggestion, history, settings.FullDiff);
        if (suggestion.Status == SuggestionStatus.Pending
            && await EvalLoop.Suggestions.Applying.SuggestionBase.FirstChangedFileAsync(suggestion, services.Layout, cancellationToken) is { } changed)
        {
            Out.MarkupLine($"[yellow]{Markup.Escape(changed)} changed since this suggestion was made, so approving it would be refused.[/] [grey]Run the experiment and suggest again (that supersedes this one and proposes the change afresh), or reject it.[/]");
        }
        else if (suggestion.Status == SuggestionStatus.Pending)
        {
            Out.MarkupLine($"  evalloop suggestions approve {suggestion.Id} --rerun    [grey]# or: evalloop suggestions reject {suggestion.Id} --reason \"...\"[/]");
        }

        return ExitCodes.Success;
    }
}
