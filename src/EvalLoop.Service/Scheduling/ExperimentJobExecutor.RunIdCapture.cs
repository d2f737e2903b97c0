using EvalLoop.Core.Running;

namespace EvalLoop.Service.Scheduling;

public sealed partial class ExperimentJobExecutor
{
    /// <summary>
    /// Keeps the id of the run a job started, from the runner's first progress report on. Reported synchronously (not
    /// through <see cref="Progress{T}"/>, which posts later), so the id is there when the run is interrupted.
    /// </summary>
    private sealed class RunIdCapture : IProgress<RunProgress>
    {
        private string? _runId;

        public string? RunId => Volatile.Read(ref _runId);

        public void Report(RunProgress value) => Volatile.Write(ref _runId, value.RunId);
    }
}
