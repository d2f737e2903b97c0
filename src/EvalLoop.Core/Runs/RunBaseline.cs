namespace EvalLoop.Core.Runs;

/// <summary>
/// The last approved baseline of a run: the one earlier run it is compared with, wherever runs are compared (the
/// service's regression detector, goal status). Candidates are earlier completed full runs of the same experiment on
/// the same dataset (name and version) and split that were not themselves flagged as regressions; the baseline is the
/// first such run of the run's own prompt version (the version as approved, so a slow decline over many runs of one
/// version is measured from where it started, not from its last step), or, for the first run of a new version, the
/// latest candidate. A run on another dataset version or split is never a baseline: its pass rate is not comparable.
/// </summary>
public static class RunBaseline
{
    /// <summary>How many of the experiment's latest full runs are searched for a baseline.</summary>
    public const int SearchDepth = 200;

    /// <summary>Whether <paramref name="candidate"/> may be the baseline of <paramref name="run"/> (flags aside).</summary>
    public static bool IsCandidate(RunRecord run, RunRecord candidate)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.Id != run.Id
            && candidate.Status == RunStatus.Completed
            && candidate.StartedAt < run.StartedAt
            && candidate.ExperimentName == run.ExperimentName
            && candidate.DatasetName == run.DatasetName
            && candidate.DatasetVersion == run.DatasetVersion
            && candidate.Split == run.Split;
    }

    /// <summary>
    /// The baseline of <paramref name="run"/> among <paramref name="newestFirst"/> (the experiment's full runs, newest
    /// first), leaving out the runs in <paramref name="flagged"/>; null when there is none.
    /// </summary>
    public static RunRecord? Choose(RunRecord run, IEnumerable<RunRecord> newestFirst, IReadOnlySet<string>? flagged = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(newestFirst);
        RunRecord? latest = null;
        RunRecord? firstOfVersion = null;
        foreach (var candidate in newestFirst)
        {
            if (IsCandidate(run, candidate) && flagged?.Contains(candidate.Id) != true)
            {
                // Newest first: the last match of the run's prompt version is the first run of that version.
                latest ??= candidate;
                if (candidate.PromptVersion == run.PromptVersion)
                {
                    firstOfVersion = candidate;
                }
            }
        }

        return firstOfVersion ?? latest;
    }

    /// <summary>
    /// The baseline of <paramref name="run"/> among the experiment's last <see cref="SearchDepth"/> full runs; runs
    /// flagged in <paramref name="regressions"/> are left out (all are candidates without a store).
    /// </summary>
    public static async Task<RunRecord?> FindAsync(IRunStore runs, IRegressionStore? regressions, RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(run);
        var candidates = await runs.ListRunsAsync(run.ExperimentName, RunModes.Full, SearchDepth, cancellationToken);
        HashSet<string>? flagged = null;
        if (regressions is not null)
        {
            flagged = (await regressions.ListForRunsAsync(candidates.Select(c => c.Id).ToList(), cancellationToken)).Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        }

        return Choose(run, candidates, flagged);
    }
}
