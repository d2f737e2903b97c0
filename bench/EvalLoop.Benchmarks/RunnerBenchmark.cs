using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EvalLoop.TestUtilities;

namespace EvalLoop.Benchmarks;

/// <summary>
/// <c>evalloop bench runner</c>: runs N cases through the real CLI process against a loopback endpoint with a fixed
/// latency, and prints wall time against the ideal, peak RSS and the runner's own time. Figures, not a test: a missed
/// target is printed, and only a broken run (an error, a missing case, a crashed process) makes the exit code non-zero.
/// </summary>
internal sealed class RunnerBenchmark(RunnerBenchmarkOptions options, TextWriter output, TextWriter progress)
{
    public const int BrokenRun = 3;

    /// <summary>Enough requests for the endpoint's own hot paths to reach tier-1 code before anything is measured.</summary>
    private const int WarmUpCases = 500;

    /// <summary>Environment variables a user's shell might carry that would change what the CLI does.</summary>
    private static readonly string[] ClearedVariables = ["EVALLOOP_DB", "EVALLOOP_LOG_LEVEL"];

    private static string Dotnet => Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var repository = FindRepository();
        var cli = options.CliPath ?? await BuildCliAsync(repository, cancellationToken);
        if (!File.Exists(cli))
        {
            progress.WriteLine($"bench: the CLI was not found at {cli}");
            return BrokenRun;
        }

        var loadBefore = LoadAverage();
        var latency = TimeSpan.FromMilliseconds(options.LatencyMs);
        await using var server = await BenchModelServer.StartAsync(
            latency,
            options.ServerDelay,
            static request => BenchWorkspace.Answer(request.LastUserMessage),
            cancellationToken);
        progress.WriteLine($"bench: endpoint {server.OpenAiBaseUrl} ({Format(options.LatencyMs, 1)} ms, {Describe(options.ServerDelay)}); CLI {cli}");

        // Warms the endpoint (its JIT, its connections) and the file cache, and checks the set-up before anything is measured.
        using (var warmUpWorkspace = CreateWorkspace(server, WarmUpCases))
        {
            if (await MeasureAsync(server, cli, WarmUpCases, warmUpWorkspace, cancellationToken) is { Figures: null } warmUp)
            {
                progress.WriteLine($"bench: the warm-up run is broken: {warmUp.Problem}");
                return BrokenRun;
            }
        }

        var results = new List<(RunFigures Figures, int Runs)>();
        var broken = 0;
        foreach (var cases in options.Cases)
        {
            // --reuse-workspace: one workspace per configuration, primed by an unmeasured run, so the measured runs find
            // the database and the dataset snapshot in place (a user's second run) instead of creating them.
            using var shared = options.ReuseWorkspace ? CreateWorkspace(server, cases) : null;
            if (shared is not null && await MeasureAsync(server, cli, cases, shared, cancellationToken) is { Figures: null } priming)
            {
                broken++;
                progress.WriteLine($"bench: {cases} cases, priming run: BROKEN: {priming.Problem}");
                continue;
            }

            var runs = new List<RunFigures>();
            for (var repeat = 1; repeat <= options.Repeat; repeat++)
            {
                using var fresh = shared is null ? CreateWorkspace(server, cases) : null;
                var measured = await MeasureAsync(server, cli, cases, shared ?? fresh!, cancellationToken);
                if (measured.Figures is not { } figures)
                {
                    broken++;
                    progress.WriteLine($"bench: {cases} cases, run {repeat}/{options.Repeat}: BROKEN: {measured.Problem}");
                    continue;
                }

                runs.Add(figures);
                progress.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"bench: {cases} cases, run {repeat}/{options.Repeat}: wall {figures.WallSeconds:0.000} s (x{figures.WallRatio:0.000}), run {figures.RunWallSeconds:0.000} s, before {figures.BeforeRunSeconds:0.000} s, after {figures.AfterRunSeconds:0.000} s, RSS {figures.PeakRssMegabytes:0.0} MB, CPU {figures.CpuSeconds:0.00} s, endpoint added {figures.Server.AddedMean:0.000} ms"));
            }

            if (runs.Count > 0)
            {
                results.Add((RunFigures.Median(runs), runs.Count));
            }
        }

        Print(cli, results, loadBefore, LoadAverage());
        if (broken > 0)
        {
            output.WriteLine($"{broken} run(s) broken; see the lines above.");
            return BrokenRun;
        }

        return 0;
    }

    /// <summary>
    /// <c>bench serve</c>: the endpoint and one workspace (the first <c>--cases</c>), kept until Ctrl-C, so the CLI can be
    /// run by hand under a profiler (<c>perf</c>, <c>strace</c>, <c>dotnet-trace</c>). Prints the command to run.
    /// </summary>
    public async Task<int> ServeAsync(CancellationToken cancellationToken = default)
    {
        var latency = TimeSpan.FromMilliseconds(options.LatencyMs);
        await using var server = await BenchModelServer.StartAsync(
            latency,
            options.ServerDelay,
            static request => BenchWorkspace.Answer(request.LastUserMessage),
            cancellationToken);
        using var workspace = BenchWorkspace.Create(options.Cases[0], options.Concurrency, server.OpenAiBaseUrl, options.Keep);
        output.WriteLine($"endpoint {server.OpenAiBaseUrl} ({Format(options.LatencyMs, 1)} ms, {Describe(options.ServerDelay)})");
        output.WriteLine($"workspace {workspace.Root} ({options.Cases[0]} cases); remove {Path.Combine(workspace.Root, ".evalloop")} between runs for a first run");
        var cli = options.CliPath ?? Path.Combine(FindRepository(), "artifacts", "cli", "evalloop.dll");
        output.WriteLine($"run: (cd {workspace.Root} && dotnet {cli} run {BenchWorkspace.ExperimentPath} --json --no-cache --workspace {workspace.Root})");
        output.WriteLine("Ctrl-C stops the endpoint.");
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                if (server.TakeStats() is { Requests: > 0 } stats)
                {
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{stats.Requests} requests: added mean {stats.AddedMean:0.000} ms, p50 {stats.AddedP50:0.000}, p99 {stats.AddedP99:0.000}"));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static string Describe(ServerDelayMode mode) => mode == ServerDelayMode.Precise
        ? "precise deadline timer in front of the loopback server"
        : "the loopback server's own Task.Delay";

    private static string Format(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string FindRepository()
    {
        if (Environment.GetEnvironmentVariable("EVALLOOP_HOME") is { Length: > 0 } home && File.Exists(Path.Combine(home, "evalloop")))
        {
            return home;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EvalLoop.sln")) && File.Exists(Path.Combine(folder.FullName, "evalloop")))
            {
                return folder.FullName;
            }
        }

        throw new BenchUsageException("cannot find the repository (a folder with EvalLoop.sln and evalloop); run the benchmark as ./evalloop bench runner");
    }

    /// <summary>Builds the CLI exactly as users get it: <c>./evalloop --help</c> builds it once into artifacts/cli.</summary>
    private static async Task<string> BuildCliAsync(string repository, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Combine(repository, "evalloop"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            WorkingDirectory = repository,
        };
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start ./evalloop --help.");
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./evalloop --help failed (exit {process.ExitCode}); the CLI does not build.");
        }

        return Path.Combine(repository, "artifacts", "cli", "evalloop.dll");
    }

    private BenchWorkspace CreateWorkspace(BenchModelServer server, int cases)
    {
        var workspace = BenchWorkspace.Create(cases, options.Concurrency, server.OpenAiBaseUrl, options.Keep);
        if (options.Keep)
        {
            progress.WriteLine($"bench: workspace {workspace.Root}");
        }

        return workspace;
    }

    private async Task<(RunFigures? Figures, string? Problem)> MeasureAsync(BenchModelServer server, string cli, int cases, BenchWorkspace workspace, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in ClearedVariables)
        {
            environment[name] = null;
        }

        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        server.TakeStats();
        var stdout = Path.Combine(workspace.LogsDirectory, "stdout.json");
        var stderr = Path.Combine(workspace.LogsDirectory, "stderr.txt");
        string[] command = [Dotnet, cli, "run", BenchWorkspace.ExperimentPath, "--json", "--no-cache", "--workspace", workspace.Root];
        var measurement = await ChildProcessMeter.MeasureInFreshProcessAsync(command, workspace.Root, environment, stdout, stderr, cancellationToken);
        var serverStats = server.TakeStats();

        var problem = Check(measurement, stdout, stderr, cases, serverStats, out var report);
        if (problem is not null)
        {
            workspace.Keep();
            return (null, $"{problem} (workspace and logs kept in {workspace.Root})");
        }

        return (new RunFigures(
            cases,
            options.LatencyMs,
            options.Concurrency,
            measurement.WallSeconds,
            report.GetProperty("wall_seconds").GetDouble(),
            (measurement.ExitedAt - report.GetProperty("finished_at").GetDateTimeOffset()).TotalSeconds,
            measurement.PeakRssMegabytes,
            measurement.UserCpuSeconds + measurement.SystemCpuSeconds,
            report.GetProperty("passed").GetInt32(),
            report.GetProperty("latency_p50_ms").GetDouble(),
            report.GetProperty("latency_p95_ms").GetDouble(),
            serverStats), null);
    }

    private static string? Check(ProcessMeasurement measurement, string stdoutPath, string stderrPath, int cases, ServerLatencyStats server, out JsonElement report)
    {
        report = default;
        var stdout = File.ReadAllText(stdoutPath);
        if (measurement.ExitCode != 0)
        {
            return $"the CLI exited {measurement.ExitCode}: {Tail(File.ReadAllText(stderrPath))}";
        }

        try
        {
            using var document = JsonDocument.Parse(stdout);
            report = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return $"the CLI's stdout is not one JSON object ({ex.Message}): {Tail(stdout)}";
        }

        var status = report.TryGetProperty("status", out var s) ? s.GetString() : null;
        var completed = report.TryGetProperty("cases", out var c) ? c.GetInt32() : -1;
        var errored = report.TryGetProperty("errored", out var e) ? e.GetInt32() : -1;
        if (status != "completed" || completed != cases || errored != 0)
        {
            var kinds = report.TryGetProperty("error_kinds", out var k) ? k.GetRawText() : "{}";
            return $"status {status}, {completed} of {cases} cases, {errored} errored {kinds}";
        }

        if (server.Requests != cases)
        {
            return $"the endpoint answered {server.Requests} requests for {cases} cases (expected one each: no cache, no retries)";
        }

        return null;
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 600 ? trimmed : "..." + trimmed[^600..];
    }

    /// <summary>The 1-minute load average: other processes on the machine compete with the CLI and the endpoint for the CPUs.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or ArgumentOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Print(string cli, List<(RunFigures Figures, int Runs)> results, double? loadBefore, double? loadAfter)
    {
        var settings = options.Environment.Count == 0 ? "none" : string.Join(' ', options.Environment.Select(p => $"{p.Key}={p.Value}"));
        output.WriteLine();
        output.WriteLine($"evalloop bench runner: {cli}");
        output.WriteLine($"  endpoint latency: {Describe(options.ServerDelay)}; extra environment: {settings}");
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {Environment.ProcessorCount} CPUs; 1-minute load average {loadBefore?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} before, {loadAfter?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} after{(Math.Max(loadBefore ?? 0, loadAfter ?? 0) > 1.5 ? " (other work shared the CPUs: the figures are noisy)" : string.Empty)}"));
        output.WriteLine(options.Repeat > 1 ? $"  figures are medians of {options.Repeat} runs each" : "  one run each (--repeat K for medians)");
        output.WriteLine(options.ReuseWorkspace
            ? "  workspace: reused (database and dataset snapshot already there, as on a user's second run)"
            : "  workspace: fresh for every run (database created, migrated and the dataset snapshotted inside the measured time)");
        output.WriteLine();

        var table = new TextTable(
            "cases", "latency", "conc", "wall s", "ideal s", "wall/ideal", "<=1.10", "run s", "run/ideal", "before s", "after s", "RSS MB", "RSS target", "CPU s", "call p50 ms", "call p95 ms");
        foreach (var (f, _) in results)
        {
            table.Add(
                f.Cases.ToString(CultureInfo.InvariantCulture),
                Format(f.LatencyMs, 0) + " ms",
                f.Concurrency.ToString(CultureInfo.InvariantCulture),
                Format(f.WallSeconds, 3),
                Format(f.IdealSeconds, 3),
                Format(f.WallRatio, 3),
                f.WallMet ? "PASS" : "MISS",
                Format(f.RunWallSeconds, 3),
                Format(f.RunWallRatio, 3),
                Format(f.BeforeRunSeconds, 3),
                Format(f.AfterRunSeconds, 3),
                Format(f.PeakRssMegabytes, 1),
                (f.RssMet ? "PASS" : "MISS") + " <=" + Format(f.RssTargetMegabytes, 0),
                Format(f.CpuSeconds, 2),
                Format(f.ClientLatencyP50Ms, 2),
                Format(f.ClientLatencyP95Ms, 2));
        }

        output.Write(table);
        output.WriteLine();
        output.WriteLine("Endpoint's own measurement of the latency it added (arrival of a request to its response written):");
        var server = new TextTable("cases", "requests", "target ms", "added mean", "added p50", "added p99", "delay mean", "delay p99", "hop mean");
        foreach (var (f, _) in results)
        {
            server.Add(
                f.Cases.ToString(CultureInfo.InvariantCulture),
                f.Server.Requests.ToString(CultureInfo.InvariantCulture),
                Format(f.LatencyMs, 3),
                Format(f.Server.AddedMean, 3),
                Format(f.Server.AddedP50, 3),
                Format(f.Server.AddedP99, 3),
                Format(f.Server.DelayMean, 3),
                Format(f.Server.DelayP99, 3),
                Format(f.Server.ForwardMean, 3));
        }

        output.Write(server);
        output.WriteLine("  delay = arrival to the answer's release: the deadline (precise), or the end of the loopback server's Task.Delay (task-delay);");
        output.WriteLine("  hop = arrival to the answer fetched from the loopback server behind the front (inside the delay when precise).");
        output.WriteLine("  before = process start to the run's start (runtime start-up, JIT, workspace and experiment load, dataset snapshot);");
        output.WriteLine("  after = the run's finished_at to the process's exit (summary and statistics, JSON, closing the database, exit).");
    }
}
