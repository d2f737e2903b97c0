namespace EvalLoop.Core.Runs;

/// <summary>
/// Figures that need every result rather than a SQL aggregate: per scorer a 95% bootstrap confidence interval of the
/// mean and of the pass rate (resampling cases, so the trials of one case stay together), the variance of each case's
/// score across trials, and the judge calls' tokens and cost. Deterministic: the resampling is seeded from the run id.
/// </summary>
/// <remarks>
/// It streams the results once and keeps a few numbers per (case, scorer), plus the trial scores when there is more
/// than one trial, never the outputs. The bootstrap statistic is the same ratio the store reports (sum of scores over
/// scored results; passed over all results), so each interval brackets the point estimate it belongs to.
/// </remarks>
public static class RunStatistics
{
    /// <summary>Bootstrap resamples per interval: enough for stable 2.5% and 97.5% percentiles at the third decimal.</summary>
    public const int Resamples = 1000;

    /// <summary>How many unstable (case, scorer) pairs a summary lists.</summary>
    public const int MaxUnstableCases = 20;

    /// <summary>The store's summary of <paramref name="runId"/> with the statistics added.</summary>
    public static async Task<RunSummary> SummarizeWithStatisticsAsync(this IRunResultStore store, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var summary = await store.SummarizeAsync(runId, cancellationToken);
        return await AddAsync(summary, store.ReadAsync(runId, cancellationToken), runId, cancellationToken);
    }

    /// <summary>Adds the statistics computed from <paramref name="results"/> to <paramref name="summary"/>.</summary>
    public static async Task<RunSummary> AddAsync(RunSummary summary, IAsyncEnumerable<CaseResult> results, string seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(results);
        var cases = new Dictionary<string, int>(StringComparer.Ordinal);
        var caseIds = new List<string>();
        var resultsPerCase = new List<int>();
        var scorers = new Dictionary<string, List<Tally?>>(StringComparer.Ordinal);
        int judgeCalls = 0, judgeCacheHits = 0;
        long judgeInput = 0, judgeOutput = 0;
        var judgeCost = 0m;

        await foreach (var result in results.WithCancellation(cancellationToken))
        {
            if (!cases.TryGetValue(result.CaseId, out var index))
            {
                index = caseIds.Count;
                cases.Add(result.CaseId, index);
                caseIds.Add(result.CaseId);
                resultsPerCase.Add(0);
            }

            resultsPerCase[index]++;
            foreach (var score in result.Scores)
            {
                if (!scorers.TryGetValue(score.Scorer, out var tallies))
                {
                    tallies = [];
                    scorers.Add(score.Scorer, tallies);
                }

                while (tallies.Count <= index)
                {
                    tallies.Add(null);
                }

                var tally = tallies[index] ??= new Tally();
                tally.Add(score.Score, score.Passed);
                if (score.Judge is { } judge)
                {
                    judgeCalls++;
                    judgeInput += judge.InputTokens;
                    judgeOutput += judge.OutputTokens;
                    judgeCost += judge.Cost;
                    judgeCacheHits += judge.CacheHit ? 1 : 0;
                }
            }
        }

        var unstable = new List<(UnstableCase Case, int Order)>();
        var figures = summary.Scorers.Select(figure =>
        {
            if (!scorers.TryGetValue(figure.Scorer, out var tallies))
            {
                return figure;
            }

            var rng = new Random(StableSeed(seed + "\u0000" + figure.Scorer));
            var meanCases = new List<(double Numerator, int Denominator)>();
            var passCases = new List<(double Numerator, int Denominator)>(caseIds.Count);
            var variances = new List<double>();
            var unstableCount = 0;
            for (var i = 0; i < caseIds.Count; i++)
            {
                var tally = i < tallies.Count ? tallies[i] : null;
                passCases.Add((tally?.Passed ?? 0, resultsPerCase[i]));
                if (tally is not { Scored: > 0 })
                {
                    continue;
                }

                meanCases.Add((tally.Sum, tally.Scored));
                if (tally.Scores.Count > 1)
                {
                    var variance = Variance(tally.Scores);
                    variances.Add(variance);
                    if (variance > 0)
                    {
                        unstableCount++;
                        unstable.Add((new UnstableCase(caseIds[i], figure.Scorer, variance, tally.Scores), i));
                    }
                }
            }

            return figure with
            {
                MeanInterval = Bootstrap(meanCases, rng),
                PassRateInterval = Bootstrap(passCases, rng),
                MeanTrialVariance = variances.Count == 0 ? null : variances.Average(),
                UnstableCaseCount = unstableCount,
            };
        }).ToList();

        return summary with
        {
            Scorers = figures,
            JudgeCalls = judgeCalls,
            JudgeInputTokens = judgeInput,
            JudgeOutputTokens = judgeOutput,
            JudgeCost = judgeCost,
            JudgeCacheHits = judgeCacheHits,
            UnstableCases = unstable
                .OrderByDescending(u => u.Case.Variance)
                .ThenBy(u => u.Order)
                .Take(MaxUnstableCases)
                .Select(u => u.Case)
                .ToList(),
        };
    }

    /// <summary>
    /// Percentile bootstrap of the ratio Σnumerator / Σdenominator over <paramref name="cases"/>, resampled with
    /// replacement <see cref="Resamples"/> times; null when there are no cases.
    /// </summary>
    public static ConfidenceInterval? Bootstrap(IReadOnlyList<(double Numerator, int Denominator)> cases, Random random)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(random);
        if (cases.Count == 0)
        {
            return null;
        }

        var statistics = new double[Resamples];
        for (var b = 0; b < Resamples; b++)
        {
            double numerator = 0;
            long denominator = 0;
            for (var i = 0; i < cases.Count; i++)
            {
                var (n, d) = cases[random.Next(cases.Count)];
                numerator += n;
                denominator += d;
            }

            statistics[b] = denominator == 0 ? 0 : numerator / denominator;
        }

        Array.Sort(statistics);
        return new ConfidenceInterval(Statistics.PairedBootstrap.Quantile(statistics, 0.025), Statistics.PairedBootstrap.Quantile(statistics, 0.975));
    }

    private static double Variance(List<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }

    // FNV-1a over the UTF-16 code units: string.GetHashCode is randomised per process, and the interval must not be.
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private sealed class Tally
    {
        public double Sum { get; private set; }

        public int Scored { get; private set; }

        public int Passed { get; private set; }

        public List<double> Scores { get; } = [];

        public void Add(double? score, bool passed)
        {
            if (score is { } value)
            {
                Sum += value;
                Scored++;
                Scores.Add(value);
            }

            Passed += passed ? 1 : 0;
        }
    }
}
