using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Verification;

/// <summary>
/// Assigns verification cases to the failure clusters found on the analysis cases, so a change can be measured per
/// pattern. For a classification-like task a cluster's slice is every verification case whose expected label the cluster
/// involves (as an expected label or as a wrong answer): the cases it could fix and the ones it could pull answers away
/// from. Otherwise each verification case goes to the cluster whose members' inputs it is nearest to (by embedding).
/// </summary>
public sealed class ClusterSlices
{
    private ClusterSlices(IReadOnlyList<Slice> slices) => Slices = slices;

    public sealed record Slice(string ClusterId, string Name, string Kind, IReadOnlySet<string> CaseIds);

    public IReadOnlyList<Slice> Slices { get; }

    public static async Task<ClusterSlices> BuildAsync(SuggestionContext context, IReadOnlyList<DatasetCase> verification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(verification);
        var clusters = context.Clusters.Where(c => c.Kind != "error").ToList();
        var slices = new List<Slice>();
        if (clusters.Count == 0 || verification.Count == 0)
        {
            return new ClusterSlices(slices);
        }

        if (context.Labels.IsClassification)
        {
            foreach (var cluster in clusters)
            {
                var labels = Labels(context, cluster);
                var ids = verification.Where(c => context.Labels.Find(c.ExpectedText) is { } l && labels.Contains(l)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                slices.Add(new Slice(cluster.Id, cluster.Name, "labels", ids));
            }

            return new ClusterSlices(slices);
        }

        var centroids = new List<float[]>();
        foreach (var cluster in clusters)
        {
            var inputs = cluster.Members.Select(m => context.Find(m.CaseId)?.Input).OfType<string>().ToList();
            var vectors = await Embedded.EmbedAsync(context.Embeddings, inputs, cancellationToken);
            var centroid = vectors.Length == 0 ? [] : new float[vectors[0].Length];
            foreach (var v in vectors)
            {
                for (var i = 0; i < centroid.Length; i++)
                {
                    centroid[i] += v[i];
                }
            }

            centroids.Add(centroid);
        }

        var assigned = clusters.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        var verificationVectors = await Embedded.EmbedAsync(context.Embeddings, verification.Select(c => c.InputText).ToList(), cancellationToken);
        for (var i = 0; i < verification.Count; i++)
        {
            var best = Enumerable.Range(0, clusters.Count).MaxBy(k => Embedded.Dot(verificationVectors[i], centroids[k]));
            assigned[best].Add(verification[i].Id);
        }

        for (var k = 0; k < clusters.Count; k++)
        {
            slices.Add(new Slice(clusters[k].Id, clusters[k].Name, "nearest", assigned[k]));
        }

        return new ClusterSlices(slices);
    }

    private static HashSet<string> Labels(SuggestionContext context, FailureCluster cluster)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in cluster.Members)
        {
            if (context.Find(member.CaseId) is { } c)
            {
                foreach (var value in new[] { c.Expected, c.Output })
                {
                    if (context.Labels.Find(value) is { } label)
                    {
                        labels.Add(label);
                    }
                }
            }
        }

        return labels;
    }
}
