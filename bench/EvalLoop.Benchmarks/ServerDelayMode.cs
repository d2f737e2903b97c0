namespace EvalLoop.Benchmarks;

/// <summary>How the benchmark's model endpoint adds its fixed latency.</summary>
internal enum ServerDelayMode
{
    /// <summary>A <see cref="DeadlineTimer"/> in front of the loopback server: the latency is what was asked for.</summary>
    Precise,

    /// <summary><see cref="EvalLoop.TestUtilities.LoopbackOpenAiServer.Latency"/> as the tests use it (<c>Task.Delay</c>, late on Linux).</summary>
    TaskDelay,
}
