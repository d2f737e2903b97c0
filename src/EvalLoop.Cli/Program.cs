using System.Runtime.InteropServices;
using EvalLoop.Cli.Commands;
using EvalLoop.Cli.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

// Ctrl-C or SIGTERM: the first signal cancels cleanly (finished cases are kept, the run can be resumed); a second
// one is left to the runtime's default, which ends the process.
var cancellation = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (!cancellation.IsCancellationRequested)
    {
        context.Cancel = true;
        cancellation.Cancel();
    }
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

if (Console.IsOutputRedirected)
{
    // Tables wrap badly at the 80-column default of a redirected stream (CI logs, pipes).
    AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
}

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("evalloop");
    config.SetExceptionHandler((exception, _) =>
    {
        EvalLoop.Cli.Output.ErrorOutput.Error(exception.Message);
        return ExitCodes.UsageOrInput;
    });
    config.AddCommand<QuickstartCommand>("quickstart").WithDescription("Run the sample BANKING77 experiment on the offline model.");
    config.AddCommand<InitCommand>("init").WithDescription("Create a workspace with a small runnable example.");
    config.AddCommand<RunCommand>("run").WithDescription("Run an experiment (or --resume a run, or --rerun-failed a run's failures).")
        .WithExample("run", "experiments/banking77-intents.yaml")
        .WithExample("run", "banking77-intents", "--json", "--fail-under", "0.8")
        .WithExample("run", "--resume", "20261129-120000-a1b2c3");
    config.AddBranch("dataset", dataset =>
    {
        dataset.SetDescription("Import, list and inspect datasets.");
        dataset.AddCommand<DatasetImportCommand>("import").WithDescription("Import a CSV or JSONL file into datasets/ and snapshot it.")
            .WithExample("dataset", "import", "tickets.csv", "--input-column", "text", "--expected-column", "label", "--name", "tickets");
        dataset.AddCommand<DatasetListCommand>("list").WithDescription("List datasets and their stored versions.");
        dataset.AddCommand<DatasetShowCommand>("show").WithDescription("Show a dataset version and its first cases.");
    });
    config.AddBranch("runs", runs =>
    {
        runs.SetDescription("List and inspect runs.");
        runs.AddCommand<RunsListCommand>("list").WithDescription("Recent runs, newest first.");
        runs.AddCommand<RunsShowCommand>("show").WithDescription("A run's summary and cases.");
    });
});

return await app.RunAsync(args, cancellation.Token);
