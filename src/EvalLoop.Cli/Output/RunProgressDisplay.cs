using System.Diagnostics;
using System.Globalization;
using EvalLoop.Core.Running;
using Spectre.Console;

namespace EvalLoop.Cli.Output;

/// <summary>
/// Shows run progress: a Spectre.Console progress bar on an interactive terminal, plain lines (at most every two
/// seconds, and at the end) when output is redirected, e.g. in CI.
/// </summary>
public static class RunProgressDisplay
{
    /// <summary>Pass as the console to force plain progress lines on stderr.</summary>
    public static IAnsiConsole PlainLines { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.No });

    public static bool IsInteractive(IAnsiConsole console) =>
        console != PlainLines && console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    public static async Task<T> RunAsync<T>(IAnsiConsole console, string label, Func<IProgress<RunProgress>, Task<T>> work)
    {
        if (IsInteractive(console))
        {
            return await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(label), maxValue: 1);
                    var progress = new SynchronousProgress<RunProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Completed;
                        task.Description = Markup.Escape($"{label} {p.Completed}/{p.Total} passed {p.Passed} errors {p.Errored} cached {p.CacheHits}");
                    });
                    return await work(progress);
                });
        }

        var lastPrint = Stopwatch.StartNew();
        RunProgress? last = null;
        var lines = new SynchronousProgress<RunProgress>(p =>
        {
            last = p;
            if (lastPrint.Elapsed >= TimeSpan.FromSeconds(2) || p.Completed == p.Total)
            {
                lastPrint.Restart();
                Print(p);
            }
        });
        var result = await work(lines);
        if (last is { } final && final.Completed != final.Total)
        {
            Print(final);
        }

        return result;

        void Print(RunProgress p) => Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{p.RunId}] {p.Completed}/{p.Total} ({(p.Total == 0 ? 100 : 100.0 * p.Completed / p.Total):0}%) passed {p.Passed} errors {p.Errored} cached {p.CacheHits}"));
    }

}
