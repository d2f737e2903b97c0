using System.ComponentModel;
using System.Globalization;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop run EXPERIMENT</c>: run an experiment, resume a run, or re-run a run's failures.</summary>
public sealed class RunCommand : EvalLoopCommand<RunCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "[EXPERIMENT]")]
        [Description("Experiment YAML file, or a name in experiments/.")]
        public string? Experiment { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object with the run's figures on stdout (progress goes to stderr).")]
        public bool Json { get; init; }

        [CommandOption("--no-cache")]
        [Description("Bypass the response cache (neither read nor write).")]
        public bool NoCache { get; init; }

        [CommandOption("--fail-under <RATE>")]
        [Description("Exit 1 when the overall pass rate (0..1) is below RATE.")]
        public double? FailUnder { get; init; }

        [CommandOption("--resume <RUN_ID>")]
        [Description("Complete an interrupted run: only its missing cases are run.")]
        public string? Resume { get; init; }

        [CommandOption("--rerun-failed <RUN_ID>")]
        [Description("Re-run only the failed or errored cases of RUN_ID into a new run.")]
        public string? RerunFailed { get; init; }

        [CommandOption("--concurrency <N>")]
        [Description("Override the experiment's concurrency.")]
        public int? Concurrency { get; init; }

        public override ValidationResult Validate()
        {
            if (Resume is not null && (Experiment is not null || RerunFailed is not null))
            {
                return ValidationResult.Error("--resume RUN_ID takes no EXPERIMENT and no --rerun-failed");
            }

            if (Resume is null && Experiment is null)
            {
                return ValidationResult.Error("name an EXPERIMENT (a YAML file or a name in experiments/), or --resume RUN_ID");
            }

            if (FailUnder is < 0 or > 1)
            {
                return ValidationResult.Error("--fail-under must be between 0 and 1");
            }

            return Concurrency is < 1 or > 256 ? ValidationResult.Error("--concurrency must be between 1 and 256") : ValidationResult.Success();
        }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var options = new RunOptions { UseCache = !settings.NoCache, Concurrency = settings.Concurrency };
        // With --json, stdout carries only the JSON; progress goes to stderr as plain lines.
        var display = settings.Json ? RunProgressDisplay.PlainLines : Out;

        RunOutcome outcome;
        if (settings.Resume is { } resume)
        {
            outcome = await RunProgressDisplay.RunAsync(display, "resuming", p => services.Runner.ResumeAsync(resume, options, p, cancellationToken));
        }
        else
        {
            var experiment = await services.Experiments.LoadAsync(settings.Experiment!, cancellationToken);
            if (settings.RerunFailed is { } source)
            {
                outcome = await RunProgressDisplay.RunAsync(display, experiment.Name, p => services.Runner.RerunFailedAsync(experiment, source, options, p, cancellationToken));
            }
            else
            {
                var dataset = await services.Snapshots.SnapshotAsync(experiment.Dataset, cancellationToken);
                outcome = await RunProgressDisplay.RunAsync(display, experiment.Name, p => services.Runner.StartAsync(experiment, dataset, options, p, cancellationToken));
            }
        }

        var analysis = await AnalyzeIfAskedAsync(services, outcome, display, cancellationToken);
        var reportPath = await AutomaticReport.WriteAsync(services, outcome, cancellationToken);
        return Finish(outcome, settings.Json, settings.FailUnder, services.Layout.DatabasePath, analysis, reportPath);
    }

    /// <summary>Analyses a completed run's failures when its experiment says <c>analyze: true</c>; a failed analysis is a warning, never a failed run.</summary>
    private static async Task<ClusterAnalysis?> AnalyzeIfAskedAsync(EvalLoopServices services, RunOutcome outcome, IAnsiConsole display, CancellationToken cancellationToken)
    {
        if (outcome.Run.Status != Core.Runs.RunStatus.Completed || !ExperimentSnapshot.Of(outcome.Run).Analyze)
        {
            return null;
        }

        try
        {
            return await AnalyzeCommand.AnalyzeAsync(services, outcome.Run, display, llmNames: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ErrorOutput.Warning("analysis", $"could not analyse the failures: {ex.Message}");
            return null;
        }
    }

    /// <summary>Prints the summary and picks the exit code; shared with <c>quickstart</c>.</summary>
    internal static int Finish(RunOutcome outcome, bool json, double? failUnder, string databasePath, ClusterAnalysis? analysis = null, string? reportPath = null)
    {
        var summary = outcome.Summary;
        var passRate = summary.Results == 0 ? 0 : (double)summary.Passed / summary.Results;
        var failUnderMissed = failUnder is { } threshold && passRate < threshold;
        if (json)
        {
            var report = RunReportJson.Build(outcome.Run, summary, outcome.Evaluation, failUnder);
            if (analysis is not null)
            {
                report["analysis"] = AnalysisJson.Build(analysis);
            }

            if (reportPath is not null)
            {
                report["report"] = reportPath;
            }

            Console.Out.WriteLine(report.ToJsonString(RunReportJson.Options));
        }
        else
        {
            RunSummaryView.Write(Out, outcome.Run, summary, outcome.Evaluation);
            if (analysis is not null)
            {
                AnalysisView.Write(Out, analysis, top: 5);
            }

            Out.MarkupLine($"[grey]stored in[/] {Markup.Escape(databasePath)}  [grey]details:[/] evalloop runs show {Markup.Escape(outcome.Run.Id)}");
            if (reportPath is not null)
            {
                Out.MarkupLine($"[grey]report:[/] {Markup.Escape(reportPath)}");
            }
            if (failUnderMissed)
            {
                Out.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[red]pass rate {passRate:P1} is under --fail-under {failUnder:P1}[/]"));
            }
        }

        if (outcome.Interrupted)
        {
            ErrorOutput.Warning("interrupted", $"finished cases are stored. Resume with: evalloop run --resume {outcome.Run.Id}");
            return ExitCodes.Interrupted;
        }

        if (outcome.Run.Status == Core.Runs.RunStatus.Failed)
        {
            return ExitCodes.RuntimeError;
        }

        return !outcome.Evaluation.TargetsMet || failUnderMissed ? ExitCodes.TargetMissed : ExitCodes.Success;
    }
}
