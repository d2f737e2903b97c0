using System.ComponentModel;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Suggestions.Goals;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop goal new NAME "description" [--dataset D]</c>: draft a goal plan (requirements, scorers, targets, an
/// experiment) and store it as a pending <c>goal</c> suggestion, showing the files approval would write. Nothing is
/// written to the workspace until <c>evalloop goal approve ID</c>.
/// </summary>
public sealed class GoalNewCommand : EvalLoopCommand<GoalNewCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The goal's name: experiments/goals/NAME.yaml.")]
        public string Name { get; init; } = string.Empty;

        [CommandArgument(1, "<DESCRIPTION>")]
        [Description("What good looks like, in your words; numbers such as \">= 0.85\" or \"90%\" become targets.")]
        public string Description { get; init; } = string.Empty;

        [CommandOption("--dataset <DATASET>")]
        [Description("A dataset name in datasets/ (or a .jsonl path) to derive labels and JSON checks from.")]
        public string? Dataset { get; init; }

        [CommandOption("--model-from <EXPERIMENT>")]
        [Description("Draft with this experiment's model when it is a real one (openai, azure-openai): a Semantic Kernel prompt function splits the description into requirements with scorers, targets and slices. Default, or with the offline model: the offline derivation.")]
        public string? ModelFrom { get; init; }

        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        GoalDraft? draft = null;
        try
        {
            if (settings.ModelFrom is { } from && (await services.Experiments.LoadAsync(from, cancellationToken)).Model is { Provider: not Core.Models.ModelProviders.Offline } model)
            {
                var client = services.ChatClients.Create(model with { Temperature = 0, MaxTokens = null }, new Core.Models.ChatClientCreationOptions());
                try
                {
                    draft = await new LlmGoalDrafter(client, model, services.Layout, services.Scorers.KnownTypes).DraftAsync(settings.Name, settings.Description, settings.Dataset, cancellationToken);
                }
                catch (FormatException ex)
                {
                    // A malformed plan is not worth failing the command for: the offline derivation still helps.
                    ErrorOutput.Warning("note", $"{ex.Message}; drafting offline instead.");
                }
            }

            draft ??= await new OfflineGoalDrafter(services.Layout).DraftAsync(settings.Name, settings.Description, settings.Dataset, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new UsageException(ex.Message);
        }

        var suggestion = await new GoalDraftSuggestions(services.Suggestions, services.Runs).ProposeAsync(draft, cancellationToken);
        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["suggestion_id"] = suggestion.Id,
                ["status"] = suggestion.Status,
                ["goal"] = draft.GoalName,
                ["source"] = draft.Source,
                ["dataset"] = draft.Dataset,
                ["uncovered"] = new JsonArray(draft.Uncovered.Select(u => (JsonNode?)u).ToArray()),
                ["files"] = new JsonArray(draft.Files.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["content"] = f.Content }).ToArray()),
            };
            Console.Out.WriteLine(json.ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        Out.MarkupLine(Markup.Escape($"Drafted goal {draft.GoalName} ({draft.Source}) as pending suggestion {suggestion.Id}. Nothing is written until it is approved."));
        foreach (var file in draft.Files)
        {
            Out.WriteLine();
            Out.MarkupLine($"[bold]would write {Markup.Escape(file.Path)}[/]");
            Out.WriteLine(file.Content.TrimEnd());
        }

        Out.WriteLine();
        if (draft.Uncovered.Count > 0)
        {
            Out.MarkupLine(Markup.Escape($"uncovered (no scorer measures them; add covered_by after approval): {string.Join(", ", draft.Uncovered)}"));
        }

        Out.MarkupLine(Markup.Escape($"  evalloop goal approve {suggestion.Id}   # write these files"));
        Out.MarkupLine(Markup.Escape($"  evalloop suggestions reject {suggestion.Id} --reason \"...\""));
        return ExitCodes.Success;
    }
}
