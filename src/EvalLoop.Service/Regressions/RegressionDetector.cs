using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;
using EvalLoop.Service.Composition;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Service.Regressions;

/// <summary>
/// Compares a finished run with its experiment's last approved baseline: the most recent earlier completed full run of
/// the same experiment on the same dataset version and split that was not itself flagged as a regression. For each
/// scorer both runs have, McNemar's test on the (case, trial) results they share (the same test the suggestions'
/// verification uses); a drop in pass rate with p below <see cref="EvalLoopServiceOptions.RegressionAlpha"/> is a
/// regression and is stored (<see cref="IRegressionStore"/>), which flags the run.
/// </summary>
public sealed class RegressionDetector(EvalLoopServices services, EvalLoopServiceOptions options, TimeProvider timeProvider)
{
    /// <summary>How many of the experiment's latest runs are searched for a baseline.</summary>
    public const int BaselineSearchDepth = 200;

    /// <summary>The baseline of <paramref name="run"/>, or null when it has none (e.g. its first run on this data).</summary>
    public async Task<RunRecord?> FindBaselineAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var candidate in await services.Runs.ListRunsAsync(run.ExperimentName, BaselineSearchDepth, cancellationToken))
        {
            if (candidate.Id != run.Id
                && candidate.Status == RunStatus.Completed
                && candidate.Mode == "full"
                && candidate.StartedAt < run.StartedAt
                && candidate.DatasetName == run.DatasetName
                && candidate.DatasetVersion == run.DatasetVersion
                && candidate.Split == run.Split
                && (await services.Regressions.ListForRunAsync(candidate.Id, cancellationToken)).Count == 0)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Compares <paramref name="run"/> with its baseline and stores what regressed; empty when nothing did.</summary>
    public async Task<IReadOnlyList<RunRegression>> DetectAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatus.Completed || run.Mode != "full" || await FindBaselineAsync(run, cancellationToken) is not { } baseline)
        {
            return [];
        }

        var baselineScorers = ExperimentSnapshot.Deserialize(baseline.ExperimentJson).Scorers.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var scorers = ExperimentSnapshot.Deserialize(run.ExperimentJson).Scorers.Select(s => s.Name).Where(baselineScorers.Contains).Distinct(StringComparer.Ordinal).ToArray();
        if (scorers.Length == 0)
        {
            return [];
        }

        // The baseline's verdicts, one bit per scorer, keyed by (case, trial); the run's results stream past them.
        var before = new Dictionary<(string, int), bool[]>();
        await foreach (var result in services.Runs.ReadAsync(baseline.Id, cancellationToken))
        {
            before[(result.CaseId, result.Trial)] = Verdicts(result, scorers);
        }

        var pairs = 0;
        var basePasses = new int[scorers.Length];
        var passes = new int[scorers.Length];
        var fixedCounts = new int[scorers.Length];
        var brokenCounts = new int[scorers.Length];
        await foreach (var result in services.Runs.ReadAsync(run.Id, cancellationToken))
        {
            if (!before.TryGetValue((result.CaseId, result.Trial), out var old))
            {
                continue;
            }

            pairs++;
            var now = Verdicts(result, scorers);
            for (var i = 0; i < scorers.Length; i++)
            {
                basePasses[i] += old[i] ? 1 : 0;
                passes[i] += now[i] ? 1 : 0;
                fixedCounts[i] += !old[i] && now[i] ? 1 : 0;
                brokenCounts[i] += old[i] && !now[i] ? 1 : 0;
            }
        }

        var found = new List<RunRegression>();
        var detectedAt = timeProvider.GetUtcNow();
        for (var i = 0; i < scorers.Length && pairs > 0; i++)
        {
            var test = McNemarTest.Compute(fixedCounts[i], brokenCounts[i]);
            if (brokenCounts[i] > fixedCounts[i] && test.PValue < options.RegressionAlpha)
            {
                found.Add(new RunRegression(run.Id, baseline.Id, run.ExperimentName, scorers[i], (double)basePasses[i] / pairs, (double)passes[i] / pairs, test.PValue, pairs, detectedAt));
            }
        }

        await services.Regressions.SaveAsync(found, cancellationToken);
        return found;
    }

    // A result the scorer did not score (no output, or a scorer error) counts as not passing, as in the run summary.
    private static bool[] Verdicts(CaseResult result, string[] scorers) =>
        scorers.Select(name => result.Scores.FirstOrDefault(s => s.Scorer == name)?.Passed ?? false).ToArray();
}
