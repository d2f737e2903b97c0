using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Suggestions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop loop EXPERIMENT [--rounds N] [--auto-approve significant]</c>: run, analyse, suggest and verify; then stop
/// for approvals, or approve only significant gains, re-run, and repeat.
/// </summary>
public sealed class LoopCommand : EvalLoopCommand<LoopCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<EXPERIMENT>")]
        [Description("Experiment YAML file, or a name in experiments/.")]
        public string Experiment { get; init; } = string.Empty;

        [CommandOption("--rounds <N>")]
        [Description("Rounds at most (default 1).")]
        public int Rounds { get; init; } = 1;

        [CommandOption("--auto-approve <WHICH>")]
        [Description("'significant': approve the best prompt suggestion whose verified gain is significant, re-run, repeat. Without it the loop stops for your decisions.")]
        public string? AutoApprove { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object with a 'rounds' list on stdout (progress goes to stderr).")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Rounds is < 1 or > 20 ? ValidationResult.Error("--rounds must be between 1 and 20")
            : AutoApprove is not (null or "significant") ? ValidationResult.Error("--auto-approve takes one value: significant")
            : ValidationResult.Success();
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var path = services.Experiments.ResolvePath(settings.Experiment);
        var loop = new ImprovementLoop(services.Experiments, services.Snapshots, services.Runner, services.Suggester, services.Approver);
        void Line(string message)
        {
            if (settings.Json)
            {
                Console.Error.WriteLine(message);
            }
            else
            {
                Out.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
            }
        }

        var outcome = await loop.RunAsync(
            path,
            new LoopOptions
            {
                Rounds = settings.Rounds,
                AutoApproveSignificant = settings.AutoApprove == "significant",
                SuggestProgress = new SynchronousProgress<SuggestProgress>(p => Line("    " + p.Message)),
            },
            new SynchronousProgress<LoopProgress>(p => Line(p.Message)),
            cancellationToken);

        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["experiment"] = path,
                ["rounds"] = new JsonArray(outcome.Rounds.Select(r => (JsonNode)new JsonObject
                {
                    ["round"] = r.Round,
                    ["baseline_run_id"] = r.BaselineRunId,
                    ["baseline_score"] = r.BaselineScore,
                    ["approved"] = new JsonArray(r.Approved.Select(a => (JsonNode)a).ToArray()),
                    ["after_run_id"] = r.AfterRunId,
                    ["after_score"] = r.AfterScore,
                    ["held_out_split"] = r.HeldOutSplit,
                    ["skipped"] = new JsonArray(r.Skipped.Select(k => (JsonNode)new JsonObject { ["id"] = k.SuggestionId, ["reason"] = k.Reason }).ToArray()),
                    ["suggestions"] = new JsonArray(r.Suggestions.Select(a => (JsonNode)a).ToArray()),
                    ["notes"] = new JsonArray(r.Notes.Select(a => (JsonNode)a).ToArray()),
                }).ToArray()),
            };
            Console.Out.WriteLine(json.ToJsonString(SuggestionJsonOutput.Options));
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("[bold]the loop, round by round[/] [grey](score: mean of the first target scorer on the held-out split)[/]");
        table.AddColumn("round");
        table.AddColumn("before");
        table.AddColumn("approved");
        table.AddColumn("after");
        foreach (var r in outcome.Rounds)
        {
            table.AddRow(
                new Text(r.Round.ToString(CultureInfo.InvariantCulture)),
                new Text($"{Score(r.BaselineScore)} (run {r.BaselineRunId})"),
                new Text(r.Approved.Count == 0 ? (settings.AutoApprove is null ? "stopped for your decisions" : "nothing significant") : string.Join(", ", r.Approved)),
                new Text(r.AfterRunId is null ? "-" : $"{Score(r.AfterScore)} (run {r.AfterRunId})"));
        }

        Out.Write(table);
        foreach (var skip in outcome.Rounds.SelectMany(r => r.Skipped.Select(k => (r.Round, k))))
        {
            Out.MarkupLine(Markup.Escape($"  round {skip.Round}: skipped {skip.k.SuggestionId}: {skip.k.Reason}"));
        }

        if (outcome.Rounds[^1].Approved.Count == 0 && outcome.Rounds[^1].Suggestions.Count > 0)
        {
            Out.MarkupLine("  evalloop suggestions list --status pending    [grey]# review, then approve or reject[/]");
        }

        return ExitCodes.Success;
    }

    internal static string Score(double? score) => score is { } s ? s.ToString("P1", CultureInfo.InvariantCulture) : "n/a";

}
