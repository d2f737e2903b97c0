namespace EvalLoop.Core.Running;

/// <summary>The default lock: one executor per run within this process (hosts wire <see cref="FileRunLock"/> for processes).</summary>
internal sealed class InProcessRunLock : IRunLock
{
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    public IDisposable? TryAcquire(string runId)
    {
        lock (_held)
        {
            return _held.Add(runId) ? new Release(this, runId) : null;
        }
    }

    private sealed class Release(InProcessRunLock owner, string runId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (owner._held)
                {
                    owner._held.Remove(runId);
                }
            }
        }
    }
}
