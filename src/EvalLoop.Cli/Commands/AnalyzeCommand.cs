using System.ComponentModel;
using EvalLoop.Analysis;
using EvalLoop.Analysis.Describing;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop analyze RUN_ID</c>: cluster a run's failing cases into named failure patterns and store them with the run.</summary>
public sealed class AnalyzeCommand : EvalLoopCommand<AnalyzeCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<RUN_ID>")]
        [Description("The run whose failures to analyse (see: evalloop runs list).")]
        public string RunId { get; init; } = string.Empty;

        [CommandOption("--json")]
        [Description("Print one JSON object with the clusters on stdout (progress goes to stderr).")]
        public bool Json { get; init; }

        [CommandOption("--no-llm-names")]
        [Description("Keep the heuristic cluster names even when the run used a real model (no model calls).")]
        public bool NoLlmNames { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var run = await services.Runs.GetRunAsync(settings.RunId, cancellationToken) ?? throw new RunNotFoundException(settings.RunId);
        var display = settings.Json ? RunProgressDisplay.PlainLines : Out;
        var analysis = await AnalyzeAsync(services, run, display, llmNames: !settings.NoLlmNames, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(AnalysisJson.Build(analysis).ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        AnalysisView.Write(Out, analysis);
        Out.MarkupLine($"[grey]stored with run[/] {Markup.Escape(run.Id)} [grey]in[/] {Markup.Escape(services.Layout.DatabasePath)}  [grey]cases of a pattern:[/] evalloop analyze {Markup.Escape(run.Id)} --json");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Analyses <paramref name="run"/> with progress on <paramref name="display"/>; shared with <c>run</c> and
    /// <c>quickstart</c>. With <paramref name="llmNames"/> and a real model, that model writes the cluster names; the
    /// offline model cannot write free text, so offline runs keep the heuristic names.
    /// </summary>
    internal static Task<ClusterAnalysis> AnalyzeAsync(EvalLoopServices services, RunRecord run, IAnsiConsole display, bool llmNames, CancellationToken cancellationToken)
    {
        var analyzer = services.Analyzer;
        if (llmNames && run.Provider != ModelProviders.Offline)
        {
            var model = ExperimentSnapshot.Of(run).Model;
            var client = services.ChatClients.Create(model, new ChatClientCreationOptions { UseCache = true });
            analyzer = analyzer.WithNamer(new ChatClientClusterNamer(client, services.LoggerFactory.CreateLogger<ChatClientClusterNamer>()));
        }

        return AnalysisProgressDisplay.RunAsync(display, run.Id, progress => analyzer.AnalyzeAsync(run.Id, progress, cancellationToken));
    }
}
