namespace EvalLoop.Benchmarks;

/// <summary>The figures of one measured run of the CLI (or the medians of several).</summary>
/// <param name="Cases">Cases in the dataset.</param>
/// <param name="LatencyMs">The endpoint's fixed latency.</param>
/// <param name="Concurrency">The experiment's concurrency.</param>
/// <param name="WallSeconds">The CLI process from start to exit.</param>
/// <param name="RunWallSeconds">The run's own <c>wall_seconds</c> from its JSON: the runner's time, without process start-up.</param>
/// <param name="AfterRunSeconds">From the run's <c>finished_at</c> to the process's exit: the summary, the JSON, closing the database, exiting.</param>
/// <param name="PeakRssMegabytes">Peak resident set of the CLI process in MiB (<c>ru_maxrss</c>).</param>
/// <param name="CpuSeconds">User plus system CPU time of the CLI process.</param>
/// <param name="Passed">Cases the run reports as passed.</param>
/// <param name="ClientLatencyP50Ms">The run's own median per-call latency (<c>latency_p50_ms</c>).</param>
/// <param name="ClientLatencyP95Ms">The run's own 95th percentile per-call latency (<c>latency_p95_ms</c>).</param>
/// <param name="Server">What the endpoint measured itself.</param>
internal sealed record RunFigures(
    int Cases,
    double LatencyMs,
    int Concurrency,
    double WallSeconds,
    double RunWallSeconds,
    double AfterRunSeconds,
    double PeakRssMegabytes,
    double CpuSeconds,
    int Passed,
    double ClientLatencyP50Ms,
    double ClientLatencyP95Ms,
    ServerLatencyStats Server)
{
    /// <summary>Wall time is at most this many times the ideal.</summary>
    public const double WallTarget = 1.10;

    /// <summary>cases x latency / concurrency: the time the requests alone need at full concurrency.</summary>
    public double IdealSeconds => Cases * LatencyMs / 1000.0 / Concurrency;

    public double WallRatio => IdealSeconds > 0 ? WallSeconds / IdealSeconds : double.NaN;

    public double RunWallRatio => IdealSeconds > 0 ? RunWallSeconds / IdealSeconds : double.NaN;

    /// <summary>Process start to the run's start: runtime start-up, JIT, loading the workspace, the dataset snapshot.</summary>
    public double BeforeRunSeconds => WallSeconds - RunWallSeconds - AfterRunSeconds;

    /// <summary>200 MB up to 1,000 cases, 300 MB above (the 10,000-case budget).</summary>
    public double RssTargetMegabytes => Cases <= 1_000 ? 200 : 300;

    public bool WallMet => WallRatio <= WallTarget;

    public bool RssMet => PeakRssMegabytes <= RssTargetMegabytes;

    /// <summary>The median of each figure on its own (runs of one configuration).</summary>
    public static RunFigures Median(IReadOnlyList<RunFigures> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var first = runs[0];
        return first with
        {
            WallSeconds = Median(runs, r => r.WallSeconds),
            RunWallSeconds = Median(runs, r => r.RunWallSeconds),
            AfterRunSeconds = Median(runs, r => r.AfterRunSeconds),
            PeakRssMegabytes = Median(runs, r => r.PeakRssMegabytes),
            CpuSeconds = Median(runs, r => r.CpuSeconds),
            Passed = (int)Median(runs, r => r.Passed),
            ClientLatencyP50Ms = Median(runs, r => r.ClientLatencyP50Ms),
            ClientLatencyP95Ms = Median(runs, r => r.ClientLatencyP95Ms),
            Server = new ServerLatencyStats(
                (int)Median(runs, r => r.Server.Requests),
                Median(runs, r => r.Server.DelayMean),
                Median(runs, r => r.Server.DelayP99),
                Median(runs, r => r.Server.ForwardMean),
                Median(runs, r => r.Server.AddedMean),
                Median(runs, r => r.Server.AddedP50),
                Median(runs, r => r.Server.AddedP99)),
        };
    }

    private static double Median(IReadOnlyList<RunFigures> runs, Func<RunFigures, double> figure)
    {
        var sorted = runs.Select(figure).Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
