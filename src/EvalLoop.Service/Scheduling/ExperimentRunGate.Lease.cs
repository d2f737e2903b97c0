namespace EvalLoop.Service.Scheduling;

public sealed partial class ExperimentRunGate
{
    /// <summary>Holds an experiment's gate until disposed (once; a second dispose does nothing).</summary>
    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
