using System.Diagnostics;
using System.Globalization;
using EvalLoop.Core.Runs;
using EvalLoop.Reporting;
using EvalLoop.Storage.Sqlite;

namespace EvalLoop.Benchmarks;

/// <summary>
/// <c>evalloop bench report</c>: times the HTML report of a synthetic N-case run stored in SQLite (see
/// <see cref="ReportBenchRun"/>) and weighs it, against the targets of a 10,000-case report: rendered in at most 3 s,
/// at most 10 MB. Figures, not a test: a missed target is printed, and only a failure makes the exit code non-zero.
/// </summary>
internal sealed class ReportBenchmark(ReportBenchmarkOptions options, TextWriter output, TextWriter progress)
{
    private const double TargetSeconds = 3;
    private const double TargetMegabytes = 10;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var repository = FindRepository();
        var folder = Directory.CreateTempSubdirectory("evalloop-bench-report-").FullName;
        try
        {
            var databasePath = Path.Combine(folder, ".evalloop", "evalloop.db");
            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
            using var database = new SqliteDatabase(databasePath);
            var clock = Stopwatch.StartNew();
            var runs = await ReportBenchRun.StoreAsync(database, ReportBenchRun.LoadMessages(repository), options.Cases, options.History, cancellationToken);
            var run = runs[^1];
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: stored {runs.Count} runs of {options.Cases:N0} cases in {clock.Elapsed.TotalSeconds:0.0} s ({databasePath})"));

            var store = new SqliteRunStore(database);
            var generator = new HtmlReportGenerator(new ReportSources(store, store, new SqliteDatasetStore(database), new SqliteClusterStore(database), new SqliteSuggestionStore(database)));
            var reportPath = Path.Combine(folder, "report.html");
            var loadBefore = LoadAverage();

            var first = await MeasureAsync(() => generator.WriteRunReportFileAsync(run.Id, reportPath, cancellationToken));
            progress.WriteLine($"bench: first render in this process (JIT, Skia start-up): {first}");
            var warm = new List<Measurement>();
            for (var i = 1; i <= options.Repeat; i++)
            {
                warm.Add(await MeasureAsync(() => generator.WriteRunReportFileAsync(run.Id, reportPath, cancellationToken)));
                progress.WriteLine($"bench: render {i}/{options.Repeat}: {warm[^1]}");
            }

            var size = new FileInfo(reportPath).Length;
            var diffPath = Path.Combine(folder, "diff.html");
            Measurement? diff = null;
            if (runs.Count > 1)
            {
                diff = await MeasureAsync(() => generator.WriteComparisonReportFileAsync(runs[^2].Id, run.Id, diffPath, cancellationToken));
            }

            var cli = options.Cli ? await TimeCliAsync(repository, folder, run, cancellationToken) : null;
            Print(run, first, warm, size, diff, diff is null ? null : new FileInfo(diffPath).Length, cli, loadBefore, LoadAverage());
            return 0;
        }
        finally
        {
            if (options.Keep)
            {
                progress.WriteLine($"bench: kept {folder} (report.html, diff.html, .evalloop/evalloop.db)");
            }
            else
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Wall time, and this process's CPU time over the same span (all threads: the report reads on several).</summary>
    private static async Task<Measurement> MeasureAsync(Func<Task<ReportResult>> render)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await render();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Measurement(wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>The 1-minute load average: on a shared 2-core machine, wall times mean little without it.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>
    /// The whole command as a user runs it (process start-up, JIT, reading SQLite, charts, writing the file), under the
    /// benchmarks' meter: wall time, and CPU time, which a busy machine does not inflate.
    /// </summary>
    private async Task<ProcessMeasurement> TimeCliAsync(string repository, string workspace, RunRecord run, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repository, "evalloop");
        var environment = new Dictionary<string, string?> { ["EVALLOOP_DB"] = null };
        var stdout = Path.Combine(workspace, "cli-stdout.txt");
        var stderr = Path.Combine(workspace, "cli-stderr.txt");

        // The first call builds the CLI if its sources changed; that build is not what is measured.
        var buildErrors = Path.Combine(workspace, "cli-build-stderr.txt");
        var build = await ChildProcessMeter.MeasureInFreshProcessAsync([script, "report", "--help"], workspace, environment, Path.Combine(workspace, "cli-build-stdout.txt"), buildErrors, cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"./evalloop does not build or start (exit {build.ExitCode}): {File.ReadAllText(buildErrors).Trim()}");
        }

        var measured = await ChildProcessMeter.MeasureInFreshProcessAsync(
            [script, "report", run.Id, "--out", Path.Combine(workspace, "cli-report.html")], workspace, environment, stdout, stderr, cancellationToken);
        if (measured.ExitCode != 0)
        {
            throw new InvalidOperationException($"./evalloop report exited {measured.ExitCode}: {File.ReadAllText(stderr).Trim()}");
        }

        if (File.ReadAllText(stderr).Contains("building the CLI", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the CLI was rebuilt during the measurement (a source changed meanwhile); run the benchmark again");
        }

        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: ./evalloop report {run.Id} (a new process): {measured.WallSeconds:0.000} s wall, {measured.UserCpuSeconds + measured.SystemCpuSeconds:0.000} s CPU, {measured.PeakRssMegabytes:0} MB peak"));
        return measured;
    }

    private void Print(RunRecord run, Measurement first, List<Measurement> warm, long size, Measurement? diff, long? diffSize, ProcessMeasurement? cli, string loadBefore, string loadAfter)
    {
        var median = warm.OrderBy(m => m.Wall).ElementAt(warm.Count / 2);
        var megabytes = size / 1024.0 / 1024.0;
        var table = new TextTable("figure", "wall (s)", "CPU (s)", "target", "");
        table.Add("render, first in this process", F(first.Wall), F(first.Cpu), F(TargetSeconds), Verdict(first.Wall <= TargetSeconds));
        table.Add($"render, warm (median of {warm.Count})", F(median.Wall), F(median.Cpu), F(TargetSeconds), Verdict(median.Wall <= TargetSeconds));
        if (cli is not null)
        {
            table.Add("./evalloop report (whole process)", F(cli.WallSeconds), F(cli.UserCpuSeconds + cli.SystemCpuSeconds), F(TargetSeconds), Verdict(cli.WallSeconds <= TargetSeconds));
        }

        if (diff is not null)
        {
            table.Add("diff report vs previous run", F(diff.Wall), F(diff.Cpu), string.Empty, string.Empty);
        }

        var sizes = new TextTable("file", "MB", "target", "");
        sizes.Add("run report", F(megabytes, "0.00"), F(TargetMegabytes, "0.0"), Verdict(megabytes <= TargetMegabytes));
        if (diffSize is { } dz)
        {
            sizes.Add("diff report", F(dz / 1024.0 / 1024.0, "0.00"), string.Empty, string.Empty);
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HTML report of run {run.Id}: {options.Cases:N0} cases, {options.History} earlier runs on the trend, 8 clusters, 3 suggestions"));
        output.WriteLine($"{Environment.ProcessorCount} CPUs; load average {loadBefore} before, {loadAfter} after (wall times stretch on a busy machine; CPU times do not)");
        output.Write(table.ToString());
        output.WriteLine();
        output.Write(sizes.ToString());

        static string F(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);

        static string Verdict(bool met) => met ? "met" : "MISSED";
    }

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

        throw new InvalidOperationException("cannot find the repository; run the benchmark through ./evalloop bench report");
    }

    private sealed record Measurement(double Wall, double Cpu)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Wall:0.000} s wall, {Cpu:0.000} s CPU");
    }
}
