namespace EvalLoop.Benchmarks;

/// <summary>
/// What the benchmark's model endpoint measured itself, over the requests of one run (milliseconds).
/// </summary>
/// <param name="Requests">Requests answered.</param>
/// <param name="DelayMean">Mean time from a request's arrival to the release of its answer (its deadline, in <see cref="ServerDelayMode.Precise"/> mode).</param>
/// <param name="DelayP99">99th percentile of that time.</param>
/// <param name="ForwardMean">Mean time from a request's arrival to its answer being fetched from the loopback server behind the front (includes that server's Task.Delay in <see cref="ServerDelayMode.TaskDelay"/> mode).</param>
/// <param name="AddedMean">Mean time from a request's arrival to its response being written: the latency the endpoint adds.</param>
/// <param name="AddedP50">Median of that time.</param>
/// <param name="AddedP99">99th percentile of that time.</param>
internal sealed record ServerLatencyStats(
    int Requests,
    double DelayMean,
    double DelayP99,
    double ForwardMean,
    double AddedMean,
    double AddedP50,
    double AddedP99)
{
    public static ServerLatencyStats Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
