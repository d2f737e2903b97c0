namespace EvalLoop.Analysis;

/// <summary>
/// The analyzer's parameters. They are stored with every analysis (<see cref="Core.Analysis.ClusterAnalysis.ParametersJson"/>),
/// so a report can say how its clusters were made. Validated by <see cref="FailureAnalyzerOptionsValidator"/>.
/// </summary>
public sealed record FailureAnalyzerOptions
{
    /// <summary>Seeds ML.NET and the samples: the same failures always give the same clusters.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The smallest k KMeans tries within one failure kind (when it has enough failures).</summary>
    public int MinClusters { get; init; } = 2;

    /// <summary>
    /// The most clusters the failures with an output get in all: each kind's share of them, by its share of those
    /// failures, is the largest k KMeans tries for it (also capped at √n and n / <see cref="MinClusterSize"/>). Each
    /// error kind adds one cluster.
    /// </summary>
    public int MaxClusters { get; init; } = 12;

    /// <summary>The average cluster size k may not go below, so no k makes mostly singleton clusters.</summary>
    public int MinClusterSize { get; init; } = 3;

    /// <summary>At most this many failures (a fixed-seed sample) train each candidate k and score its silhouette.</summary>
    public int SelectionSampleSize { get; init; } = 500;

    /// <summary>At most this many failures (a fixed-seed sample) train the final model; every failure is then assigned to its nearest centroid.</summary>
    public int TrainingSampleSize { get; init; } = 2_000;

    /// <summary>KMeans runs per k with different seeds; the one with the smallest within-cluster sum of squares wins.</summary>
    public int Restarts { get; init; } = 3;

    /// <summary>
    /// When no k reaches this mean silhouette, the failures of a kind stay one cluster: splitting points that have no
    /// group structure only produces patterns that are not there.
    /// </summary>
    public double MinSilhouette { get; init; } = 0.05;

    /// <summary>
    /// A smaller k is kept when its silhouette is within this of the best one: of two nearly equally good
    /// clusterings, the one with fewer patterns is easier to act on.
    /// </summary>
    public double SilhouetteTolerance { get; init; } = 0.01;

    /// <summary>Texts are cut to this many characters before they are embedded (embedding models have input limits).</summary>
    public int MaxEmbeddedCharacters { get; init; } = 2_000;

    /// <summary>Weight of the input's embedding in a failure's feature vector.</summary>
    public float InputWeight { get; init; } = 1f;

    /// <summary>Weight of the expected value's embedding.</summary>
    public float ExpectedWeight { get; init; } = 1f;

    /// <summary>Weight of the output's embedding.</summary>
    public float OutputWeight { get; init; } = 1f;

    /// <summary>
    /// Extra weight of the text that carries a kind's signal: the output of an invalid-label failure, the expected value
    /// of an empty answer; so those split by what was answered, or by what was asked for, before their wording.
    /// </summary>
    public float SignalEmphasis { get; init; } = 2f;

    /// <summary>Weight of each scorer's failed and errored flags.</summary>
    public float ScorerWeight { get; init; } = 1f;

    /// <summary>How many members nearest the centre each cluster shows (3 to 5 is readable).</summary>
    public int Representatives { get; init; } = 5;

    /// <summary>How many distinctive terms (class-based TF-IDF) each cluster keeps.</summary>
    public int TopTerms { get; init; } = 5;
}
