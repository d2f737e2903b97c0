namespace EvalLoop.Suggestions;

/// <summary>Knobs of the <see cref="Suggester"/>; validated by <see cref="SuggesterOptionsValidator"/> at start-up.</summary>
public sealed record SuggesterOptions
{
    /// <summary>Few-shot examples per label the offline few-shot strategy adds, at most (the pool may have fewer).</summary>
    public int ExamplesPerLabel { get; init; } = 10;

    /// <summary>
    /// The same for a real model, where every example costs tokens on every call; verification shows the token delta.
    /// </summary>
    public int ExamplesPerLabelForRealModels { get; init; } = 3;

    /// <summary>Examples of a free-text task (no label set) the few-shot strategy adds, at most.</summary>
    public int MaxFreeTextExamples { get; init; } = 20;

    /// <summary>Two-sided significance level of the McNemar test.</summary>
    public double SignificanceLevel { get; init; } = 0.05;

    /// <summary>A cluster slice that loses more than this many percentage points is called out in the evidence.</summary>
    public double MaxClusterRegressionPoints { get; init; } = 2.0;

    /// <summary>How many of the largest clusters the LLM strategy writes a candidate for (one critique and rewrite each).</summary>
    public int LlmCandidates { get; init; } = 3;

    /// <summary>Cases of a cluster shown to the LLM in its critique.</summary>
    public int LlmExamplesPerCluster { get; init; } = 5;

    /// <summary>Neighbours the suspect-label strategy consults.</summary>
    public int SuspectNeighbours { get; init; } = 5;

    /// <summary>How many of them must carry the model's answer (and none the case's own label) to flag a label.</summary>
    public int SuspectAgreement { get; init; } = 4;

    public int MaxSuspects { get; init; } = 25;

    /// <summary>Cosine similarity of input embeddings at or above which two cases are near duplicates.</summary>
    public double NearDuplicateSimilarity { get; init; } = 0.95;

    /// <summary>A label with at most this many analysis cases, most of them failing, is thinly covered.</summary>
    public int ThinCoverageCases { get; init; } = 2;

    /// <summary>Rows the coverage strategy proposes per label, at most.</summary>
    public int CoverageRowsPerLabel { get; init; } = 3;

    /// <summary>
    /// A model-graded scorer is flagged as inconsistent when at least this share of the cases it graded more than once
    /// (equivalent outputs in several trials) got both a pass and a fail from it.
    /// </summary>
    public double JudgeDisagreementThreshold { get; init; } = 0.1;

    /// <summary>... and at least this many cases flipped.</summary>
    public int MinJudgeFlips { get; init; } = 2;

    /// <summary>Cases the synthetic-variants strategy asks a model to write per failing cluster, at most.</summary>
    public int SyntheticCasesPerCluster { get; init; } = 5;

    /// <summary>Failing clusters the synthetic-variants strategy writes cases for, at most (largest first).</summary>
    public int SyntheticClusters { get; init; } = 2;

    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Seeds the bootstrap, so the same runs give the same interval.</summary>
    public int Seed { get; init; } = 20250601;
}
