using System.Diagnostics;
using System.Globalization;
using EvalLoop.Analysis;
using EvalLoop.Analysis.Embeddings;
using EvalLoop.Core.Analysis;
using EvalLoop.Models.Offline;
using EvalLoop.Storage.Sqlite;

namespace EvalLoop.Benchmarks;

/// <summary>
/// <c>evalloop bench analyzer</c>: times <see cref="FailureAnalyzer"/> on synthetic runs of N planted failures stored in
/// SQLite, with a cold and then a warm embedding cache, and prints the stage times, the clusters' purity against the
/// planted kinds and the targets. Figures, not a test: a missed target is printed; only a failed analysis makes the
/// exit code non-zero.
/// </summary>
internal sealed class AnalyzerBenchmark(AnalyzerBenchmarkOptions options, TextWriter output, TextWriter progress)
{
    private const int WarmUpFailures = 300;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (options.Cores is { } cores && OperatingSystem.IsLinux())
        {
            // Linux honours the mask for every thread of the process, including the thread pool's.
            Process.GetCurrentProcess().ProcessorAffinity = (nint)((1L << cores) - 1);
        }

        var repository = FindRepository();
        var messages = AnalyzerBenchRun.LoadMessages(repository);
        var folder = Directory.CreateTempSubdirectory("evalloop-bench-analyzer-").FullName;
        try
        {
            using var database = new SqliteDatabase(Path.Combine(folder, "evalloop.db"));
            progress.WriteLine($"bench: database {database.DatabasePath}; {CpuDescription()}");

            // JIT, ML.NET's first use, SQLite's first statements: paid once per process, on a run nobody measures.
            await AnalyzerBenchRun.StoreAsync(database, "warm-up", WarmUpFailures, messages.AsEnumerable().Reverse().ToList(), seed: 1, cancellationToken);
            var warmUp = await AnalyzeAsync(database, "warm-up", cancellationToken);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: warm-up ({WarmUpFailures} failures, first use of everything): {warmUp.Seconds:0.000} s"));

            var rows = new List<Row>();
            foreach (var failures in options.Cases)
            {
                var runId = $"run-{failures}";
                var planted = await AnalyzerBenchRun.StoreAsync(database, runId, failures, messages, seed: failures, cancellationToken);

                // The cold analysis is measured once: after it, every vector is cached.
                var cold = await AnalyzeAsync(database, runId, cancellationToken);
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: {failures} failures, cold cache: {cold.Seconds:0.000} s ({cold.Stages}), embedded {cold.Embedded} texts"));
                var cached = new List<Measurement>();
                for (var repeat = 1; repeat <= options.Repeat; repeat++)
                {
                    var measured = await AnalyzeAsync(database, runId, cancellationToken);
                    cached.Add(measured);
                    progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: {failures} failures, cached, run {repeat}/{options.Repeat}: {measured.Seconds:0.000} s ({measured.Stages}), embedded {measured.Embedded} texts"));
                }

                var median = cached.OrderBy(m => m.Seconds).ElementAt(cached.Count / 2);
                rows.Add(new Row(failures, cold, median, Purity(median.Analysis, planted)));
            }

            Print(rows);
            return 0;
        }
        finally
        {
            if (options.Keep)
            {
                progress.WriteLine($"bench: kept {folder}");
            }
            else
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<Measurement> AnalyzeAsync(SqliteDatabase database, string runId, CancellationToken cancellationToken)
    {
        var runs = new SqliteRunStore(database);
        var counting = new CountingEmbeddingGenerator(new OfflineEmbeddingGenerator());
        var analyzer = new FailureAnalyzer(
            runs,
            runs,
            new SqliteDatasetStore(database),
            new SqliteClusterStore(database),
            new CachingEmbeddingGenerator(counting, new SqliteEmbeddingCache(database)));
        var stages = new StageClock();
        var stopwatch = Stopwatch.StartNew();
        var analysis = await analyzer.AnalyzeAsync(runId, stages, cancellationToken);
        stopwatch.Stop();
        stages.Finish();
        return new Measurement(stopwatch.Elapsed.TotalSeconds, stages.ToString(), counting.Texts, analysis);
    }

    private void Print(List<Row> rows)
    {
        output.WriteLine();
        output.WriteLine($"bench analyzer: FailureAnalyzer ({FailureAnalyzer.AnalyzerVersion}), offline embeddings ({OfflineEmbeddingGenerator.DefaultModelId}, {LexicalTextFeaturizer.DefaultDimensions} dimensions), SQLite; {CpuDescription()}; cached figures are the median of {options.Repeat}");
        var table = new TextTable("failures", "cold s", "target", "cached s", "target", "clusters", "k per kind", "purity", "cached stages");
        foreach (var row in rows)
        {
            var coldTarget = row.Failures <= 1_000 ? Verdict(row.Cold.Seconds, 20) : "-";
            var cachedTarget = row.Failures <= 1_000 ? Verdict(row.Cached.Seconds, 2) : row.Failures <= 10_000 ? Verdict(row.Cached.Seconds, 5) : "-";
            table.Add(
                row.Failures.ToString("N0", CultureInfo.InvariantCulture),
                row.Cold.Seconds.ToString("0.000", CultureInfo.InvariantCulture),
                coldTarget,
                row.Cached.Seconds.ToString("0.000", CultureInfo.InvariantCulture),
                cachedTarget,
                row.Cached.Analysis.Clusters.Count.ToString(CultureInfo.InvariantCulture),
                K(row.Cached.Analysis),
                row.Purity.ToString("0.000", CultureInfo.InvariantCulture),
                row.Cached.Stages);
        }

        output.Write(table.ToString());
        output.WriteLine("targets: <= 1,000 failures: cold (with embeddings) <= 20 s, cached <= 2 s; <= 10,000 failures: cached <= 5 s. Purity: share of failures whose cluster's most common planted kind is their own.");
    }

    private static string Verdict(double seconds, double target) =>
        string.Create(CultureInfo.InvariantCulture, $"{(seconds <= target ? "PASS" : "MISS")} <= {target:0} s");

    private static string K(ClusterAnalysis analysis)
    {
        using var json = System.Text.Json.JsonDocument.Parse(analysis.ParametersJson);
        return json.RootElement.TryGetProperty("clustering", out var kinds)
            ? string.Join(" ", kinds.EnumerateObject().Select(kind => string.Create(CultureInfo.InvariantCulture, $"{kind.Name}={kind.Value.GetProperty("k").GetInt32()}")))
            : "-";
    }

    private static double Purity(ClusterAnalysis analysis, Dictionary<string, string> planted) =>
        planted.Count == 0 ? 1 : analysis.Clusters.Sum(c => c.Members.GroupBy(m => planted[m.CaseId]).Max(g => g.Count())) / (double)planted.Count;

    private string CpuDescription() => options.Cores is { } cores
        ? string.Create(CultureInfo.InvariantCulture, $"pinned to {cores} of {Environment.ProcessorCount} CPUs")
        : string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPUs");

    private static string FindRepository()
    {
        if (Environment.GetEnvironmentVariable("EVALLOOP_HOME") is { Length: > 0 } home && File.Exists(Path.Combine(home, "datasets", "banking77.jsonl")))
        {
            return home;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EvalLoop.sln")) && File.Exists(Path.Combine(folder.FullName, "datasets", "banking77.jsonl")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository (datasets/banking77.jsonl); run the benchmark through ./evalloop bench analyzer");
    }

    private sealed record Measurement(double Seconds, string Stages, int Embedded, ClusterAnalysis Analysis);

    private sealed record Row(int Failures, Measurement Cold, Measurement Cached, double Purity);

    /// <summary>Times the analyzer's stages from its progress reports.</summary>
    private sealed class StageClock : IProgress<AnalysisProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(string Stage, TimeSpan Start)> _stages = [];
        private TimeSpan _end;

        public void Report(AnalysisProgress value)
        {
            lock (_stages)
            {
                if (_stages.Count == 0 || _stages[^1].Stage != value.Stage)
                {
                    _stages.Add((value.Stage, _clock.Elapsed));
                }
            }
        }

        public void Finish() => _end = _clock.Elapsed;

        public override string ToString() => string.Join(" ", _stages.Select((s, i) => string.Create(
            CultureInfo.InvariantCulture,
            $"{s.Stage} {((i + 1 < _stages.Count ? _stages[i + 1].Start : _end) - s.Start).TotalSeconds:0.000}")));
    }
}
