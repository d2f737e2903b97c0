using System.Numerics.Tensors;

namespace EvalLoop.Analysis.Clustering;

/// <summary>The few vector operations clustering needs, SIMD-accelerated through <see cref="TensorPrimitives"/>.</summary>
internal static class VectorMath
{
    public static float SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var distance = TensorPrimitives.Distance(x, y);
        return distance * distance;
    }

    public static float Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => TensorPrimitives.Distance(x, y);

    /// <summary>Scales <paramref name="vector"/> to unit length in place; a zero vector stays zero.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0f && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        else if (!float.IsFinite(norm))
        {
            vector.Clear();
        }
    }

    /// <summary>The index of the centroid nearest <paramref name="point"/>; the lower index wins a tie.</summary>
    public static int Nearest(ReadOnlySpan<float> point, IReadOnlyList<float[]> centroids)
    {
        var best = 0;
        var bestDistance = float.PositiveInfinity;
        for (var c = 0; c < centroids.Count; c++)
        {
            var distance = SquaredDistance(point, centroids[c]);
            if (distance < bestDistance)
            {
                best = c;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The mean of the rows <paramref name="members"/> of <paramref name="points"/>.</summary>
    public static float[] Mean(IReadOnlyList<float[]> points, IReadOnlyList<int> members, int dimensions)
    {
        var mean = new float[dimensions];
        foreach (var index in members)
        {
            TensorPrimitives.Add(mean, points[index], mean);
        }

        if (members.Count > 0)
        {
            TensorPrimitives.Divide(mean, members.Count, mean);
        }

        return mean;
    }
}
