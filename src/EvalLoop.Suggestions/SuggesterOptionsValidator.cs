namespace EvalLoop.Suggestions;

/// <summary>Checks <see cref="SuggesterOptions"/> once, when the suggester is built.</summary>
public static class SuggesterOptionsValidator
{
    public static void ThrowIfInvalid(SuggesterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Positive(options.ExamplesPerLabel, nameof(options.ExamplesPerLabel));
        Positive(options.ExamplesPerLabelForRealModels, nameof(options.ExamplesPerLabelForRealModels));
        Positive(options.MaxFreeTextExamples, nameof(options.MaxFreeTextExamples));
        Positive(options.LlmExamplesPerCluster, nameof(options.LlmExamplesPerCluster));
        Positive(options.SuspectNeighbours, nameof(options.SuspectNeighbours));
        Positive(options.MaxSuspects, nameof(options.MaxSuspects));
        Positive(options.CoverageRowsPerLabel, nameof(options.CoverageRowsPerLabel));
        Positive(options.BootstrapResamples, nameof(options.BootstrapResamples));
        Positive(options.MinJudgeFlips, nameof(options.MinJudgeFlips));
        Positive(options.SyntheticCasesPerCluster, nameof(options.SyntheticCasesPerCluster));
        if (options.SyntheticClusters < 0)
        {
            problems.Add($"{nameof(options.SyntheticClusters)} must be 0 or more.");
        }

        if (!(options.JudgeDisagreementThreshold is > 0 and <= 1))
        {
            problems.Add($"{nameof(options.JudgeDisagreementThreshold)} must be in (0, 1].");
        }
        if (options.LlmCandidates < 0)
        {
            problems.Add($"{nameof(options.LlmCandidates)} must be 0 or more.");
        }

        if (options.ThinCoverageCases < 0)
        {
            problems.Add($"{nameof(options.ThinCoverageCases)} must be 0 or more.");
        }

        if (options.SuspectAgreement < 1 || options.SuspectAgreement > options.SuspectNeighbours)
        {
            problems.Add($"{nameof(options.SuspectAgreement)} must be between 1 and {nameof(options.SuspectNeighbours)}.");
        }

        if (!(options.SignificanceLevel is > 0 and < 1))
        {
            problems.Add($"{nameof(options.SignificanceLevel)} must be between 0 and 1 (exclusive).");
        }

        if (!(options.NearDuplicateSimilarity is > 0 and <= 1))
        {
            problems.Add($"{nameof(options.NearDuplicateSimilarity)} must be in (0, 1].");
        }

        if (!(options.MaxClusterRegressionPoints >= 0))
        {
            problems.Add($"{nameof(options.MaxClusterRegressionPoints)} must be 0 or more.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid suggester options: " + string.Join(" ", problems), nameof(options));
        }

        void Positive(int value, string name)
        {
            if (value < 1)
            {
                problems.Add($"{name} must be at least 1.");
            }
        }
    }
}
