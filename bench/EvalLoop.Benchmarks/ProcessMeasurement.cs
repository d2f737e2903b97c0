namespace EvalLoop.Benchmarks;

/// <summary>What <see cref="ChildProcessMeter"/> measured of one process, from its start to its exit.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="WallSeconds">From just before the process was started to its exit being seen.</param>
/// <param name="MaxRssKilobytes"><c>ru_maxrss</c> of the process (KiB), from <c>getrusage(RUSAGE_CHILDREN)</c> of a meter that had no other child; 0 when unknown.</param>
/// <param name="PolledHighWaterKilobytes">The last <c>VmHWM</c> read from <c>/proc/PID/status</c> while it ran (polled every 20 ms); a lower bound, for comparison.</param>
/// <param name="UserCpuSeconds">User CPU time of the process.</param>
/// <param name="SystemCpuSeconds">System CPU time of the process.</param>
/// <param name="ExitedAt">When the exit was seen (system clock), to split the process's time around the run's own timestamps.</param>
internal sealed record ProcessMeasurement(
    int ExitCode,
    double WallSeconds,
    long MaxRssKilobytes,
    long PolledHighWaterKilobytes,
    double UserCpuSeconds,
    double SystemCpuSeconds,
    DateTimeOffset ExitedAt)
{
    /// <summary>The peak resident set in MiB: <c>ru_maxrss</c>, or the polled high-water mark when that is unknown.</summary>
    public double PeakRssMegabytes => Math.Max(MaxRssKilobytes, PolledHighWaterKilobytes) / 1024.0;
}
