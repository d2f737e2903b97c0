using System.Runtime.InteropServices;
using EvalLoop.Cli.Commands;
using EvalLoop.Cli.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

if (args is [EvalLoop.Cli.Hosting.SelfCheck.Argument])
{
    return EvalLoop.Cli.Hosting.SelfCheck.Run();
}

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
    config.SetApplicationVersion(typeof(Program).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown");
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
    config.AddCommand<ScoreCommand>("score").WithDescription("Score a JSONL of outputs with one scorer, without running a model (test a scorer before trusting it).")
        .WithExample("score", "--scorer", "levenshtein", "--input", "cases.jsonl")
        .WithExample("score", "--scorer", "regex", "--input", "cases.jsonl", "--param", "pattern=^[A-Z]");
    config.AddCommand<AnalyzeCommand>("analyze").WithDescription("Cluster a run's failing cases into named failure patterns (stored with the run).")
        .WithExample("analyze", "20261129-120000-a1b2c3")
        .WithExample("analyze", "20261129-120000-a1b2c3", "--json");
    config.AddCommand<ReportCommand>("report").WithDescription("Write a run's self-contained HTML report, or with --compare the diff report of two runs.")
        .WithExample("report", "20261129-120000-a1b2c3")
        .WithExample("report", "20261129-120000-a1b2c3", "--out", "report.html")
        .WithExample("report", "--compare", "20261128-090000-d4e5f6", "20261129-120000-a1b2c3");
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
    config.AddBranch("goal", goal =>
    {
        goal.SetDescription("Goals: draft a plan from a description, see what covers each requirement, and track it.");
        goal.AddCommand<GoalNewCommand>("new").WithDescription("Draft a goal (requirements, scorers, targets, an experiment) as a pending suggestion; nothing is written before approval.")
            .WithExample("goal", "new", "routing", "Route each message to the right intent; accuracy >= 0.85", "--dataset", "banking77");
        goal.AddCommand<GoalShowCommand>("show").WithDescription("Each requirement with its covering scorers and slices, latest score vs target, and status.")
            .WithExample("goal", "show", "banking77-routing", "--json");
        goal.AddCommand<GoalListCommand>("list").WithDescription("Every goal with its status.");
        goal.AddCommand<GoalApproveCommand>("approve").WithDescription("Write the files of a pending goal draft (all new files, never an overwrite).")
            .WithExample("goal", "approve", "s-1a2b3c4d");
    });
    config.AddCommand<SuggestCommand>("suggest").WithDescription("Propose prompt, dataset and scorer changes from a run's failure patterns, each verified by a real experiment on cases the suggester never saw.")
        .WithExample("suggest", "20261129-120000-a1b2c3")
        .WithExample("suggest", "20261129-120000-a1b2c3", "--json");
    config.AddCommand<LoopCommand>("loop").WithDescription("Run, analyse, suggest and verify; stop for approvals, or --auto-approve significant gains, re-run and repeat.")
        .WithExample("loop", "banking77-intents", "--rounds", "2", "--auto-approve", "significant", "--json");
    config.AddBranch("suggestions", suggestions =>
    {
        suggestions.SetDescription("Review suggestions: list, show (diff and evidence), approve (a new version) or reject.");
        suggestions.AddCommand<SuggestionsListCommand>("list").WithDescription("Suggestions, newest first.")
            .WithExample("suggestions", "list", "--status", "pending");
        suggestions.AddCommand<SuggestionsShowCommand>("show").WithDescription("One suggestion: its diff, evidence, provenance and audit history.");
        suggestions.AddCommand<SuggestionsApproveCommand>("approve").WithDescription("Write the change as a new version of its file (refused if the file changed since); --rerun runs the experiment again.")
            .WithExample("suggestions", "approve", "s-1a2b3c4d", "--rerun");
        suggestions.AddCommand<SuggestionsRejectCommand>("reject").WithDescription("Reject with a reason; the same change is never proposed again.")
            .WithExample("suggestions", "reject", "s-1a2b3c4d", "--reason", "examples are too long for production");
    });
    config.AddBranch("versions", versions =>
    {
        versions.SetDescription("The recorded versions of experiment, dataset and scorer files (every approval and restore records one).");
        versions.AddCommand<VersionsListCommand>("list").WithDescription("A file's versions, newest first.")
            .WithExample("versions", "list", "experiments/banking77-intents.yaml");
        versions.AddCommand<VersionsRestoreCommand>("restore").WithDescription("Write an earlier version back, as a new version.");
    });
    config.AddCommand<ServeCommand>("serve").WithDescription("Run the background service: scheduled experiments, the web UI and the HTTP API (loopback only unless --token).")
        .WithExample("serve")
        .WithExample("serve", "--urls", "http://0.0.0.0:5080", "--token", "a-long-random-secret");
});

return await app.RunAsync(args, cancellation.Token);
