using Microsoft.Extensions.AI;

namespace EvalLoop.Suggestions.Text;

/// <summary>Unit-length embeddings of texts, for cosine similarity by dot product.</summary>
public static class Embedded
{
    /// <summary>Embeds <paramref name="texts"/> in one call and normalises each vector to unit length (a zero vector stays zero).</summary>
    public static async Task<float[][]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        var vectors = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var vector = embeddings[i].Vector.ToArray();
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            if (norm > 0)
            {
                for (var j = 0; j < vector.Length; j++)
                {
                    vector[j] /= norm;
                }
            }

            vectors[i] = vector;
        }

        return vectors;
    }

    public static float Dot(float[] a, float[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0f;
        if (System.Numerics.Vector.IsHardwareAccelerated && n >= System.Numerics.Vector<float>.Count)
        {
            var acc = System.Numerics.Vector<float>.Zero;
            var width = System.Numerics.Vector<float>.Count;
            for (; i <= n - width; i += width)
            {
                acc += new System.Numerics.Vector<float>(a, i) * new System.Numerics.Vector<float>(b, i);
            }

            sum = System.Numerics.Vector.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
