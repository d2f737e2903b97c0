namespace EvalLoop.Cli.Output;

/// <summary>
/// Invokes the callback on the reporting thread, one report at a time and in order (<see cref="Progress{T}"/> would post
/// to the thread pool, out of order): how every command prints its progress lines and live displays.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            report(value);
        }
    }
}
