using System.Runtime.InteropServices;
using EvalLoop.Benchmarks;

// `./evalloop bench runner [options]`; `./evalloop bench serve [options]` runs the benchmark's endpoint alone (with a
// workspace to point the CLI at) for profiling by hand; `meter` is internal: RunnerBenchmark runs each measured CLI under it.
if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("bench: the benchmarks measure Linux processes (/proc, getrusage) and run on Linux only.");
    return 2;
}

// Ctrl-C or SIGTERM stops cleanly: the endpoint shuts down and the temporary workspaces are removed.
using var cancellation = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

try
{
    switch (args.FirstOrDefault())
    {
        case ChildProcessMeter.CommandName:
            return await ChildProcessMeter.RunMeterCommandAsync(args[1..], cancellation.Token);
        case "runner":
            var options = RunnerBenchmarkOptions.Parse(args[1..]);
            if (options.Help)
            {
                Console.WriteLine(RunnerBenchmarkOptions.Usage);
                return 0;
            }

            return await new RunnerBenchmark(options, Console.Out, Console.Error).RunAsync(cancellation.Token);
        case "serve":
            var serveOptions = RunnerBenchmarkOptions.Parse(args[1..]);
            if (serveOptions.Help)
            {
                Console.WriteLine(RunnerBenchmarkOptions.Usage);
                return 0;
            }

            return await new RunnerBenchmark(serveOptions, Console.Out, Console.Error).ServeAsync(cancellation.Token);
        case "analyzer":
            var analyzerOptions = AnalyzerBenchmarkOptions.Parse(args[1..]);
            if (analyzerOptions.Help)
            {
                Console.WriteLine(AnalyzerBenchmarkOptions.UsageText);
                return 0;
            }

            return await new AnalyzerBenchmark(analyzerOptions, Console.Out, Console.Error).RunAsync(cancellation.Token);
        case "report":
            var reportOptions = ReportBenchmarkOptions.Parse(args[1..]);
            if (reportOptions.Help)
            {
                Console.WriteLine(ReportBenchmarkOptions.UsageText);
                return 0;
            }

            return await new ReportBenchmark(reportOptions, Console.Out, Console.Error).RunAsync(cancellation.Token);
        case null or "-h" or "--help" or "help":
            Console.WriteLine("Usage: ./evalloop bench runner [options]   (./evalloop bench runner --help for the options)");
            Console.WriteLine("       ./evalloop bench analyzer [--cases N[,N...]] [--repeat K] [--cores N]   (--help for the options)");
            Console.WriteLine("       ./evalloop bench report [--cases N] [--history N] [--repeat K] [--no-cli] [--keep]   (--help for the options)");
            Console.WriteLine("       ./evalloop bench serve [--cases N] [--latency-ms MS] [--concurrency N] [--server-delay MODE]");
            return args.Length == 0 ? 2 : 0;
        default:
            throw new BenchUsageException($"unknown benchmark '{args[0]}'; the benchmarks are: runner, analyzer, report");
    }
}
catch (BenchUsageException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: interrupted");
    return 130;
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    return RunnerBenchmark.BrokenRun;
}
