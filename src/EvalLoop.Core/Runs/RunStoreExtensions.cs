namespace EvalLoop.Core.Runs;

public static class RunStoreExtensions
{
    /// <summary>
    /// Runs as a user sees them listed, newest first, optionally of one experiment: a user's runs only (<see cref="RunModes.User"/>) unless
    /// <paramref name="includeInternal"/>. The limit applies after the filter, so many internal runs never crowd out the
    /// user's.
    /// </summary>
    public static async Task<IReadOnlyList<RunRecord>> ListRunsForUserAsync(this IRunStore store, string? experimentName, bool includeInternal, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (includeInternal)
        {
            return await store.ListRunsAsync(experimentName, limit, cancellationToken);
        }

        // One query per user mode, each filtered and limited by the store; the merge is stable, so runs that started at the
        // same moment keep the store's order within their mode.
        var runs = new List<RunRecord>();
        foreach (var mode in RunModes.User)
        {
            runs.AddRange(await store.ListRunsAsync(experimentName, mode, limit, cancellationToken));
        }

        return runs.OrderByDescending(r => r.StartedAt).Take(limit).ToList();
    }
}
