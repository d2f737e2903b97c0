using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Suggestions;
using EvalLoop.Suggestions.Presentation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop suggest RUN_ID</c>: propose prompt, dataset and scorer changes from a run's failure patterns, prove each
/// with a real experiment on cases the suggester never saw, and store them for a human to approve or reject.
/// </summary>
public sealed class SuggestCommand : EvalLoopCommand<SuggestCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<RUN_ID>")]
        [Description("The run to improve on (see: evalloop runs list).")]
        public string RunId { get; init; } = string.Empty;

        [CommandOption("--json")]
        [Description("Print one JSON object with the suggestions on stdout (progress goes to stderr).")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var display = settings.Json ? RunProgressDisplay.PlainLines : Out;
        var outcome = await SuggestAsync(services, settings.RunId, display, settings.Json, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(SuggestionJsonOutput.Outcome(outcome).ToJsonString(SuggestionJsonOutput.Options));
            return ExitCodes.Success;
        }

        Write(Out, outcome);
        return ExitCodes.Success;
    }

    /// <summary>Runs the suggester with progress lines; shared with <c>quickstart</c>.</summary>
    internal static Task<SuggestOutcome> SuggestAsync(EvalLoopServices services, string runId, IAnsiConsole display, bool toStderr, CancellationToken cancellationToken)
    {
        var progress = new SynchronousProgress<SuggestProgress>(p =>
        {
            if (toStderr)
            {
                Console.Error.WriteLine(p.Message);
            }
            else
            {
                display.MarkupLine($"[grey]    {Markup.Escape(p.Message)}[/]");
            }
        });
        return services.Suggester.SuggestAsync(runId, progress, cancellationToken);
    }

    /// <summary>The outcome for a person: the plan, the new suggestions with their measured effect, and what to do next.</summary>
    internal static void Write(IAnsiConsole console, SuggestOutcome outcome)
    {
        var plan = outcome.Plan;
        console.MarkupLine(Markup.Escape($"Analysed {plan.DescribeAnalysis()} (run {outcome.AnalysisRun.Id}, {outcome.Analysis?.Clusters.Count ?? 0} failure patterns); examples from {(plan.PoolSplit is { } p ? $"'{p}'" : "the analysis half")}; verified on {plan.DescribeVerification(plan.Verification.Count)}{(plan.HeldOutSplit is { } h ? $"; '{h}' held out, never looked at" : string.Empty)}."));
        foreach (var note in outcome.Notes)
        {
            console.MarkupLine("[grey]note: " + Markup.Escape(note) + "[/]");
        }

        console.WriteLine();
        SuggestionView.WriteList(console, outcome.Created, $"{outcome.Created.Count} new suggestion(s), pending your decision");
        foreach (var s in outcome.Superseded)
        {
            console.MarkupLine(Markup.Escape($"Superseded {s.Id} ({s.Title}): {s.DecisionReason}"));
        }

        if (outcome.AlreadyProposed.Count > 0)
        {
            console.MarkupLine(Markup.Escape($"Not proposed again (already proposed on the same file, approved, or rejected): {string.Join(", ", outcome.AlreadyProposed.Select(s => $"{s.Id} ({s.Status})"))}"));
        }

        if (outcome.Created.Count > 0)
        {
            var first = outcome.Created[0].Id;
            console.MarkupLine($"  evalloop suggestions show {Markup.Escape(first)}              [grey]# the diff and the evidence[/]");
            console.MarkupLine($"  evalloop suggestions approve {Markup.Escape(first)} --rerun   [grey]# write it as a new version and run again[/]");
            console.MarkupLine($"  evalloop suggestions reject {Markup.Escape(first)} --reason \"...\"");
        }
    }

    /// <summary>
    /// The quickstart's suggestion step: suggest on <paramref name="run"/>, then show the best verified prompt suggestion
    /// (new, or pending from an earlier quickstart) with its measured effect. Nothing is approved: that is the user's call.
    /// A failure here is a warning; the quickstart's run stands.
    /// </summary>
    internal static async Task QuickstartAsync(EvalLoopServices services, Core.Runs.RunRecord run, IAnsiConsole console, CancellationToken cancellationToken)
    {
        SuggestOutcome outcome;
        try
        {
            outcome = await SuggestAsync(services, run.Id, console, toStderr: false, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ErrorOutput.Warning("suggestions", $"could not make suggestions: {ex.Message}");
            return;
        }

        var candidates = outcome.Created.Concat(outcome.AlreadyProposed)
            .Where(s => s.Kind == Core.Suggestions.SuggestionKinds.Prompt && s.Status == Core.Suggestions.SuggestionStatus.Pending)
            .Select(s => (Suggestion: s, Evidence: EvalLoop.Suggestions.Changes.SuggestionJson.TryDeserialize<EvalLoop.Suggestions.Verification.PromptEvidence>(s.EvidenceJson)!))
            .Where(t => t.Evidence is { Verdict: EvalLoop.Suggestions.Verification.Verdicts.Significant })
            .OrderByDescending(t => t.Evidence.Delta)
            .ToList();
        var others = outcome.Created.Count(s => candidates.Count == 0 || s.Id != candidates[0].Suggestion.Id);
        if (candidates.Count == 0)
        {
            console.MarkupLine("    [yellow]No prompt suggestion made a significant difference on the verification cases.[/]");
        }
        else
        {
            var (top, e) = candidates[0];
            var fresh = outcome.Created.Any(s => s.Id == top.Id) ? string.Empty : " [grey](made by an earlier quickstart, still pending)[/]";
            console.MarkupLine($"    [bold]Top verified suggestion {Markup.Escape(top.Id)}[/]{fresh}: {Markup.Escape(top.Title)}");
            console.MarkupLine(Markup.Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"    measured by a real run on {e.VerificationCases} dev cases it never saw: {e.BaselinePassRate:P1} -> {e.CandidatePassRate:P1} ({e.Delta * 100:+0.0;-0.0} points), McNemar p = {SuggestionText.PValue(e.McNemar.PValue)} ({e.McNemar.Fixed} fixed, {e.McNemar.Broken} broken)")));
            if (e.Regressions.Count > 0)
            {
                console.MarkupLine("    [red]regressions:[/] " + Markup.Escape(string.Join("; ", e.Regressions)));
            }

            console.MarkupLine($"    review it:  evalloop suggestions show {Markup.Escape(top.Id)}");
            console.MarkupLine($"    approve it: evalloop suggestions approve {Markup.Escape(top.Id)} --rerun   [grey]# writes the prompt as a new version; nothing changes until you do[/]");
        }

        if (others > 0)
        {
            console.MarkupLine($"    [grey]{others} more new suggestion(s) (dataset, scorer, other prompts): evalloop suggestions list --status pending[/]");
        }
    }

}
