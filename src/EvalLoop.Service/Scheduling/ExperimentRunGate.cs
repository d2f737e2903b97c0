using System.Collections.Concurrent;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// One run of an experiment at a time in this host, whoever starts it: a Quartz job (scheduled or run now) or the
/// resume of an interrupted run at start-up. Quartz's <c>[DisallowConcurrentExecution]</c> alone cannot see the resumes.
/// </summary>
public sealed partial class ExperimentRunGate
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits until no run of <paramref name="experiment"/> is in progress; dispose the lease to let the next one in.</summary>
    public async Task<IDisposable> EnterAsync(string experiment, CancellationToken cancellationToken = default)
    {
        var gate = Gate(experiment);
        await gate.WaitAsync(cancellationToken);
        return new Lease(gate);
    }

    /// <summary>A lease when no run of <paramref name="experiment"/> is in progress; null when one is.</summary>
    public IDisposable? TryEnter(string experiment)
    {
        var gate = Gate(experiment);
        return gate.Wait(0) ? new Lease(gate) : null;
    }


    private SemaphoreSlim Gate(string experiment)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        return _gates.GetOrAdd(experiment, _ => new SemaphoreSlim(1, 1));
    }
}
