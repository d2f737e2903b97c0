namespace EvalLoop.Analysis.Clustering;

/// <summary>
/// The mean silhouette coefficient of a clustering: for each point, (b - a) / max(a, b) where a is its mean distance
/// to its own cluster and b its mean distance to the nearest other cluster; 0 for a point alone in its cluster.
/// Ranges from -1 to 1; higher means tighter, better separated clusters.
/// </summary>
internal sealed class Silhouette
{
    private readonly float[] _distances;
    private readonly int _count;

    /// <summary>Precomputes the pairwise Euclidean distances of <paramref name="points"/> once, for scoring many clusterings of them.</summary>
    public Silhouette(IReadOnlyList<float[]> points)
    {
        _count = points.Count;
        _distances = new float[_count * _count];
        Parallel.For(0, _count, i =>
        {
            for (var j = i + 1; j < _count; j++)
            {
                var distance = VectorMath.Distance(points[i], points[j]);
                _distances[(i * _count) + j] = distance;
                _distances[(j * _count) + i] = distance;
            }
        });
    }

    /// <summary>The mean silhouette of <paramref name="assignments"/> (a cluster index per point, 0 to <paramref name="clusters"/> - 1).</summary>
    public double Score(IReadOnlyList<int> assignments, int clusters)
    {
        if (_count < 2 || clusters < 2)
        {
            return 0;
        }

        var sizes = new int[clusters];
        foreach (var a in assignments)
        {
            sizes[a]++;
        }

        var total = 0.0;
        var sums = new double[clusters];
        for (var i = 0; i < _count; i++)
        {
            var own = assignments[i];
            if (sizes[own] <= 1)
            {
                continue;
            }

            Array.Clear(sums);
            var row = _distances.AsSpan(i * _count, _count);
            for (var j = 0; j < _count; j++)
            {
                sums[assignments[j]] += row[j];
            }

            var a = sums[own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < clusters; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, sums[c] / sizes[c]);
                }
            }

            if (double.IsFinite(b) && Math.Max(a, b) > 0)
            {
                total += (b - a) / Math.Max(a, b);
            }
        }

        return total / _count;
    }
}
