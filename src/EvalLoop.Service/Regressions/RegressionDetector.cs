using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Statistics;
using EvalLoop.Service.Composition;

namespace EvalLoop.Service.Regressions;

/// <summary>
/// Compares a finished run with its experiment's last approved baseline (<see cref="RunBaseline"/>, shared with goal
/// status: earlier completed full runs on the same dataset version and split, not themselves flagged; the first run of
/// the run's own prompt version, else the latest candidate). For each scorer both runs have, McNemar's test on the
/// cases they share, each case reduced to one verdict (a majority of its trials, so repeated trials do not count as
/// independent evidence); a drop in pass rate with p below <see cref="EvalLoopServiceOptions.RegressionAlpha"/> is a regression and is stored
/// (<see cref="IRegressionStore"/>), which flags the run.
/// </summary>
public sealed class RegressionDetector(EvalLoopServices services, EvalLoopServiceOptions options, TimeProvider timeProvider)
{
    /// <summary>Compares <paramref name="run"/> with its baseline and stores what regressed; empty when nothing did.</summary>
    public async Task<IReadOnlyList<RunRegression>> DetectAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatus.Completed || run.Mode != RunModes.Full || await RunBaseline.FindAsync(services.Runs, services.Regressions, run, cancellationToken) is not { } baseline)
        {
            return [];
        }

        var baselineScorers = ExperimentSnapshot.Of(baseline).Scorers.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var scorers = ExperimentSnapshot.Of(run).Scorers.Select(s => s.Name).Where(baselineScorers.Contains).Distinct(StringComparer.Ordinal).ToArray();
        if (scorers.Length == 0)
        {
            return [];
        }

        // One verdict per case and scorer: a majority of the case's trials.
        var before = await CaseVerdictsAsync(baseline.Id, scorers, cancellationToken);
        var after = await CaseVerdictsAsync(run.Id, scorers, cancellationToken);
        var pairs = 0;
        var basePasses = new int[scorers.Length];
        var passes = new int[scorers.Length];
        var fixedCounts = new int[scorers.Length];
        var brokenCounts = new int[scorers.Length];
        foreach (var (caseId, now) in after)
        {
            if (!before.TryGetValue(caseId, out var old))
            {
                continue;
            }

            pairs++;
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

    /// <summary>Per case, per scorer: whether more than half of the case's trials passed.</summary>
    private async Task<Dictionary<string, bool[]>> CaseVerdictsAsync(string runId, string[] scorers, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<string, (int[] Passed, int Trials)>(StringComparer.Ordinal);
        await foreach (var result in services.Runs.ReadAsync(runId, cancellationToken))
        {
            if (!tallies.TryGetValue(result.CaseId, out var tally))
            {
                tally = (new int[scorers.Length], 0);
            }

            for (var i = 0; i < scorers.Length; i++)
            {
                // A result the scorer did not score (no output, or a scorer error) counts as not passing, as in the run summary.
                tally.Passed[i] += result.Scores.FirstOrDefault(s => s.Scorer == scorers[i])?.Passed == true ? 1 : 0;
            }

            tallies[result.CaseId] = (tally.Passed, tally.Trials + 1);
        }

        return tallies.ToDictionary(kv => kv.Key, kv => kv.Value.Passed.Select(p => 2 * p > kv.Value.Trials).ToArray(), StringComparer.Ordinal);
    }
}
