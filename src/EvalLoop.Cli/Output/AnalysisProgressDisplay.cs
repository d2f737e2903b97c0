using System.Globalization;
using EvalLoop.Core.Analysis;
using Spectre.Console;

namespace EvalLoop.Cli.Output;

/// <summary>
/// Shows an analysis's progress: a Spectre.Console status line on an interactive terminal, plain lines on stderr
/// (one per stage) when output is redirected.
/// </summary>
public static class AnalysisProgressDisplay
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, string runId, Func<IProgress<AnalysisProgress>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (RunProgressDisplay.IsInteractive(console))
        {
            return await console.Status().Spinner(Spinner.Known.Dots).StartAsync($"analysing the failures of {Markup.Escape(runId)}...", async context =>
                await work(new SynchronousProgress<AnalysisProgress>(p => context.Status(Markup.Escape($"analysing the failures of {runId}: {Describe(p)}")))));
        }

        string? lastStage = null;
        return await work(new SynchronousProgress<AnalysisProgress>(p =>
        {
            if (p.Stage != lastStage)
            {
                lastStage = p.Stage;
                Console.Error.WriteLine($"[{runId}] analysis: {Describe(p)}");
            }
        }));
    }

    private static string Describe(AnalysisProgress progress) => progress.Total > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{progress.Stage} {progress.Completed}/{progress.Total}")
        : progress.Stage;

}
