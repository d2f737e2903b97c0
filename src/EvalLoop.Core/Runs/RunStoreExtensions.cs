namespace EvalLoop.Core.Runs;

public static class RunStoreExtensions
{
    /// <summary>
    /// Runs as a user sees them listed, newest first, optionally of one experiment: a user's runs only (<see cref="RunModes.User"/>) unless
    /// <paramref name="includeInternal"/>. The limit applies after the filter, so many internal runs never crowd out the
    /// user's. With <paramref name="includeInternal"/> and an experiment, the suggester's runs of that experiment (stored
    /// under <c>NAME.suggest</c>, <see cref="RunModes.SuggesterNameSuffix"/>) are listed with it.
    /// </summary>
    public static async Task<IReadOnlyList<RunRecord>> ListRunsForUserAsync(this IRunStore store, string? experimentName, bool includeInternal, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (includeInternal)
        {
            if (experimentName is null)
            {
                return await store.ListRunsAsync(null, limit, cancellationToken);
            }

            var own = await store.ListRunsAsync(experimentName, limit, cancellationToken);
            var suggester = await store.ListRunsAsync(experimentName + RunModes.SuggesterNameSuffix, limit, cancellationToken);
            return own.Concat(suggester).OrderByDescending(r => r.StartedAt).Take(limit).ToList();
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
