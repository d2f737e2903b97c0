namespace EvalLoop.Core.Runs;

/// <summary>Aggregates over a run's stored results; computed by the store, so it reflects exactly what is persisted.</summary>
public sealed record RunSummary
{
    public int Results { get; init; }

    public int Passed { get; init; }

    /// <summary>Results with an output that at least one scorer failed.</summary>
    public int Failed { get; init; }

    /// <summary>Results without an output (the model call or template failed).</summary>
    public int Errored { get; init; }

    public IReadOnlyList<ScorerSummary> Scorers { get; init; } = [];

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public decimal Cost { get; init; }

    public int CacheHits { get; init; }

    public double LatencyP50Ms { get; init; }

    public double LatencyP95Ms { get; init; }

    /// <summary>Count of results per error kind.</summary>
    public IReadOnlyDictionary<string, int> ErrorKinds { get; init; } = new Dictionary<string, int>();

    /// <summary>Judge model calls made by model-graded scorers (counted apart from the task's tokens and cost).</summary>
    public int JudgeCalls { get; init; }

    public long JudgeInputTokens { get; init; }

    public long JudgeOutputTokens { get; init; }

    public decimal JudgeCost { get; init; }

    public int JudgeCacheHits { get; init; }

    /// <summary>
    /// With more than one trial: the (case, scorer) pairs whose scores varied most across trials, most unstable first.
    /// Filled by <see cref="RunStatistics"/>.
    /// </summary>
    public IReadOnlyList<UnstableCase> UnstableCases { get; init; } = [];
}

/// <summary>
/// One scorer over a run: <see cref="Mean"/> over the results it scored, <see cref="PassRate"/> over all results
/// (a result the scorer could not score, or that has no output, counts as not passing).
/// </summary>
public sealed record ScorerSummary(string Scorer, double? Mean, double PassRate, int Scored, int Errors)
{
    /// <summary>95% bootstrap confidence interval of <see cref="Mean"/>, resampling cases; filled by <see cref="RunStatistics"/>.</summary>
    public ConfidenceInterval? MeanInterval { get; init; }

    /// <summary>95% bootstrap confidence interval of <see cref="PassRate"/>, resampling cases.</summary>
    public ConfidenceInterval? PassRateInterval { get; init; }

    /// <summary>With more than one trial: the mean over cases of the variance of this scorer's score across trials.</summary>
    public double? MeanTrialVariance { get; init; }

    /// <summary>With more than one trial: how many cases got different scores in different trials.</summary>
    public int UnstableCaseCount { get; init; }
}
