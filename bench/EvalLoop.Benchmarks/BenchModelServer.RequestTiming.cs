namespace EvalLoop.Benchmarks;

internal sealed partial class BenchModelServer
{
    /// <summary>One request as the front saw it: the wait for its deadline, the hop to the loopback server, and the whole.</summary>
    private readonly record struct RequestTiming(double DelayMs, double ForwardMs, double AddedMs);
}
