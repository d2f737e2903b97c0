namespace EvalLoop.Benchmarks;

/// <summary>Bad arguments: the message says which and how to fix it; the benchmark exits 2.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
