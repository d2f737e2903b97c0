namespace EvalLoop.Analysis;

/// <summary>Checks <see cref="FailureAnalyzerOptions"/> at start-up, so a bad value fails fast with its name.</summary>
public static class FailureAnalyzerOptionsValidator
{
    /// <summary>The problems with <paramref name="options"/>, one line each; empty when they are valid.</summary>
    public static IReadOnlyList<string> Validate(FailureAnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.MinClusters < 2)
        {
            problems.Add($"{nameof(options.MinClusters)} must be at least 2 (found {options.MinClusters}).");
        }

        if (options.MaxClusters < options.MinClusters || options.MaxClusters > 100)
        {
            problems.Add($"{nameof(options.MaxClusters)} must be between {nameof(options.MinClusters)} and 100 (found {options.MaxClusters}).");
        }

        if (options.MinClusterSize < 1)
        {
            problems.Add($"{nameof(options.MinClusterSize)} must be at least 1 (found {options.MinClusterSize}).");
        }

        if (options.SelectionSampleSize < 50 || options.SelectionSampleSize > 5_000)
        {
            problems.Add($"{nameof(options.SelectionSampleSize)} must be between 50 and 5000: silhouettes cost the square of it (found {options.SelectionSampleSize}).");
        }

        if (options.TrainingSampleSize < options.SelectionSampleSize)
        {
            problems.Add($"{nameof(options.TrainingSampleSize)} must be at least {nameof(options.SelectionSampleSize)} (found {options.TrainingSampleSize}).");
        }

        if (options.Restarts is < 1 or > 20)
        {
            problems.Add($"{nameof(options.Restarts)} must be between 1 and 20 (found {options.Restarts}).");
        }

        if (options.MinSilhouette is < -1 or > 1)
        {
            problems.Add($"{nameof(options.MinSilhouette)} must be between -1 and 1 (found {options.MinSilhouette}).");
        }

        if (options.SilhouetteTolerance is < 0 or > 1)
        {
            problems.Add($"{nameof(options.SilhouetteTolerance)} must be between 0 and 1 (found {options.SilhouetteTolerance}).");
        }

        if (options.MaxEmbeddedCharacters < 16)
        {
            problems.Add($"{nameof(options.MaxEmbeddedCharacters)} must be at least 16 (found {options.MaxEmbeddedCharacters}).");
        }

        foreach (var (name, weight) in new[]
                 {
                     (nameof(options.InputWeight), options.InputWeight),
                     (nameof(options.ExpectedWeight), options.ExpectedWeight),
                     (nameof(options.OutputWeight), options.OutputWeight),
                     (nameof(options.SignalEmphasis), options.SignalEmphasis),
                     (nameof(options.ScorerWeight), options.ScorerWeight),
                 })
        {
            if (!float.IsFinite(weight) || weight < 0)
            {
                problems.Add($"{name} must be a finite number >= 0 (found {weight}).");
            }
        }

        if (options.Representatives is < 1 or > 20)
        {
            problems.Add($"{nameof(options.Representatives)} must be between 1 and 20 (found {options.Representatives}).");
        }

        if (options.TopTerms is < 0 or > 50)
        {
            problems.Add($"{nameof(options.TopTerms)} must be between 0 and 50 (found {options.TopTerms}).");
        }

        return problems;
    }

    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static void ThrowIfInvalid(FailureAnalyzerOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid failure analyzer options: " + string.Join(" ", problems), nameof(options));
        }
    }
}
