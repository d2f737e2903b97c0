namespace EvalLoop.Analysis.Clustering;

/// <summary>The outcome of <see cref="MlNetFailureClusterer.Cluster"/>.</summary>
/// <param name="K">The chosen number of clusters (1 when there were too few points to compare several).</param>
/// <param name="Assignments">The cluster of each point, 0 to <paramref name="K"/> - 1; every cluster has a member.</param>
/// <param name="Centroids">Each cluster's centre in feature space.</param>
/// <param name="Silhouettes">The silhouette of each k tried, by k; empty when none was tried.</param>
/// <param name="SelectionSampleSize">How many points scored the candidate k's.</param>
/// <param name="TrainingSampleSize">How many points trained the final model.</param>
public sealed record KMeansClustering(
    int K,
    int[] Assignments,
    IReadOnlyList<float[]> Centroids,
    IReadOnlyDictionary<int, double> Silhouettes,
    int SelectionSampleSize,
    int TrainingSampleSize)
{
    public static KMeansClustering Empty { get; } = new(0, [], [], new Dictionary<int, double>(), 0, 0);
}
