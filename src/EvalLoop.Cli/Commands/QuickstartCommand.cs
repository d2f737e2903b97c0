using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using System.Globalization;
using EvalLoop.Core.Running;
using EvalLoop.Suggestions;
using Spectre.Console;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop quickstart</c>: runs the sample BANKING77 experiment on the built-in offline model and shows where
/// everything went. The first command a newcomer runs; no API key, no download.
/// </summary>
public sealed class QuickstartCommand : EvalLoopCommand<WorkspaceSettings>
{
    public const string SampleExperiment = "experiments/banking77-intents.yaml";

    /// <summary>Set by the <c>./evalloop</c> script to the repository root, the sample workspace.</summary>
    public const string HomeVariable = "EVALLOOP_HOME";

    protected override async Task<int> RunAsync(WorkspaceSettings settings, CancellationToken cancellationToken)
    {
        var workspace = settings.Workspace ?? FindSampleWorkspace()
            ?? throw new UsageException($"no {SampleExperiment} here; run quickstart from the EvalLoop repository (or pass --workspace DIR)");
        using var services = EvalLoopServices.Create(new WorkspaceSettings { Workspace = workspace, Database = settings.Database });

        Out.Write(new Rule("[bold]EvalLoop quickstart[/]").LeftJustified());
        Out.MarkupLine("Running the sample experiment [bold]banking77-intents[/]: route real BANKING77 customer messages to one of 77 intents.");
        Out.MarkupLine("[grey]Model: the built-in [bold]offline[/] model, a nearest-neighbour in-context learner (not an LLM): it answers with the allowed label or few-shot example most similar to the input. Real work uses a real provider (openai, azure-openai, Ollama...).[/]");
        Out.WriteLine();

        var experiment = await services.Experiments.LoadAsync(Path.Combine(services.Layout.Root, SampleExperiment), cancellationToken);
        Out.MarkupLine($"[grey]1/5[/] snapshotting dataset [bold]{Markup.Escape(experiment.Dataset)}[/]...");
        var dataset = await services.Snapshots.SnapshotAsync(experiment.Dataset, cancellationToken);
        Out.MarkupLine($"    {dataset.CaseCount} cases, version {dataset.Version[..12]} ({Markup.Escape(string.Join(", ", dataset.SplitCounts.Select(kv => $"{kv.Key}={kv.Value}")))})");
        Out.MarkupLine($"[grey]2/5[/] running {Markup.Escape(experiment.Name)} on split [bold]{Markup.Escape(experiment.Split ?? "all")}[/] with concurrency {experiment.Concurrency}...");
        var outcome = await RunProgressDisplay.RunAsync(Out, experiment.Name, p => services.Runner.StartAsync(experiment, dataset, new RunOptions(), p, cancellationToken));

        Out.WriteLine();
        RunSummaryView.Write(Out, outcome.Run, outcome.Summary, outcome.Evaluation);
        Out.WriteLine();
        if (outcome.Run.Status == Core.Runs.RunStatus.Completed && outcome.Summary.Passed < outcome.Summary.Results)
        {
            Out.MarkupLine("[grey]3/5[/] clustering the failing cases into patterns (ML.NET KMeans over embeddings and signals such as the confused label pair)...");
            var analysis = await AnalyzeCommand.AnalyzeAsync(services, outcome.Run, Out, llmNames: false, cancellationToken);
            AnalysisView.Write(Out, analysis, top: 5);
            Out.WriteLine();
            Out.MarkupLine("[grey]4/5[/] suggesting changes: the suggester analyses half of the [bold]dev[/] split, draws examples from [bold]train[/] and proves each suggestion by a real run on the other half of dev (the test split stays held out)...");
            await SuggestCommand.QuickstartAsync(services, outcome.Run, Out, cancellationToken);
            Out.WriteLine();
            Out.MarkupLine("[grey]5/5[/] one round of the loop as CI would run it ([bold]evalloop loop --auto-approve significant[/]: run, suggest, approve the best significant suggestion, run again), on a scratch copy of the workspace so your files stay as they are...");
            await LoopRoundOnCopyAsync(services.Layout, cancellationToken);
            Out.WriteLine();
        }

        var reportPath = await AutomaticReport.WriteAsync(services, outcome, cancellationToken);
        Out.MarkupLine($"[bold]Outputs[/]: every case, output and score is in {Markup.Escape(services.Layout.DatabasePath)} (run {Markup.Escape(outcome.Run.Id)}).");
        if (reportPath is not null)
        {
            Out.MarkupLine($"[bold]Report[/]: {Markup.Escape(reportPath)}  [grey]# charts, clusters and every case; open it in a browser[/]");
        }

        Out.MarkupLine($"  evalloop runs show {Markup.Escape(outcome.Run.Id)} --failed     [grey]# the failing cases[/]");
        Out.MarkupLine($"  evalloop analyze {Markup.Escape(outcome.Run.Id)} --json       [grey]# every failure pattern and its cases[/]");
        Out.MarkupLine($"  evalloop runs show {Markup.Escape(outcome.Run.Id)} --json       [grey]# the figures, for scripts and CI[/]");
        Out.MarkupLine($"  evalloop run {SampleExperiment} --rerun-failed {Markup.Escape(outcome.Run.Id)}");
        Out.MarkupLine("  evalloop serve                   [grey]# then open http://127.0.0.1:5080: these results, reports and suggestions in the web UI[/]");
        if (!outcome.Evaluation.TargetsMet)
        {
            Out.MarkupLine("[yellow]The target is missed[/]: a label list alone is a weak prompt for this model. That gap is what the EvalLoop loop exists to close.");
        }

        // The quickstart demonstrates the loop; a missed target is its starting point, not a failure of the command.
        return outcome.Interrupted ? ExitCodes.Interrupted
            : outcome.Run.Status == Core.Runs.RunStatus.Failed ? ExitCodes.RuntimeError
            : ExitCodes.Success;
    }

    /// <summary>
    /// Runs one auto-approving round of <see cref="ImprovementLoop"/> on a copy of the workspace's datasets, scorers and
    /// experiments (with its own database) in <c>.evalloop/quickstart-loop/</c>, and prints the before and after on the
    /// experiment's split, which the suggester never sees. A failure is a warning: the quickstart's run stands.
    /// </summary>
    private static async Task LoopRoundOnCopyAsync(Core.Workspace.WorkspaceLayout layout, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(layout.StateDirectory, "quickstart-loop");
        try
        {
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }

            foreach (var folder in new[] { "datasets", "scorers", "experiments" })
            {
                CopyDirectory(Path.Combine(layout.Root, folder), Path.Combine(copy, folder));
            }

            // Its own database, named explicitly so that EVALLOOP_DB cannot point the copy at the real one.
            using var demo = EvalLoopServices.Create(new WorkspaceSettings { Workspace = copy, Database = Path.Combine(copy, ".evalloop", "evalloop.db") });
            var loop = new ImprovementLoop(demo.Experiments, demo.Snapshots, demo.Runner, demo.Suggester, demo.Approver);
            var outcome = await loop.RunAsync(
                Path.Combine(copy, SampleExperiment),
                new LoopOptions { AutoApproveSignificant = true },
                new SynchronousProgress<LoopProgress>(p => Out.MarkupLine($"    [grey]{Markup.Escape(p.Message)}[/]")),
                cancellationToken);
            var round = outcome.Rounds[0];
            Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"    before: {LoopCommand.Score(round.BaselineScore)} on the held-out split (run {round.BaselineRunId})")));
            if (round.Approved.Count > 0)
            {
                var approved = await demo.Suggestions.GetAsync(round.Approved[0], cancellationToken);
                Out.MarkupLine($"    approved automatically: {Markup.Escape(round.Approved[0])} ({Markup.Escape(approved?.Title ?? string.Empty)})");
                var gain = round is { AfterScore: { } after, BaselineScore: { } before }
                    ? string.Create(CultureInfo.InvariantCulture, $": {(after - before) * 100:+0.0;-0.0} points on cases the suggester never saw")
                    : string.Empty;
                Out.MarkupLine("    " + Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"after:  {LoopCommand.Score(round.AfterScore)} (run {round.AfterRunId}){gain}")));
            }
            else
            {
                Out.MarkupLine("    [yellow]no suggestion was significant, so nothing was approved[/]");
            }

            Out.MarkupLine($"    [grey]the copy, with its own database and the new prompt version:[/] {Markup.Escape(copy)}  [grey]your experiments/ are unchanged; step 4's approve command applies the change here[/]");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ErrorOutput.Warning("loop", $"the loop round on the copy failed: {ex.Message}");
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        if (!Directory.Exists(source))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)), overwrite: true);
        }
    }


    private static string? FindSampleWorkspace()
    {
        var current = Directory.GetCurrentDirectory();
        if (File.Exists(Path.Combine(current, SampleExperiment)))
        {
            return current;
        }

        var home = Environment.GetEnvironmentVariable(HomeVariable);
        return home is not null && File.Exists(Path.Combine(home, SampleExperiment)) ? home : null;
    }
}
