using EvalLoop.Analysis.Clustering;

namespace EvalLoop.Analysis.Embeddings;

/// <summary>
/// The unit-length embeddings of an analysis's texts, looked up by the raw text. A text is embedded as
/// <see cref="Prepare"/> makes it (trimmed, cut to a maximum length); an empty or missing text has no embedding.
/// </summary>
internal sealed class EmbeddedTexts(int maxCharacters)
{
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    /// <summary>The length of every vector; 0 until the first one is added.</summary>
    public int Dimensions { get; private set; }

    /// <summary>The text as it is embedded, or null when there is nothing to embed.</summary>
    public string? Prepare(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length <= maxCharacters)
        {
            return trimmed;
        }

        // Never cut between the two halves of a surrogate pair.
        var cut = char.IsHighSurrogate(trimmed[maxCharacters - 1]) ? maxCharacters - 1 : maxCharacters;
        return trimmed[..cut];
    }

    /// <summary>Stores the embedding of a prepared text, scaled to unit length.</summary>
    /// <exception cref="InvalidOperationException">The generator returned vectors of different lengths.</exception>
    public void Add(string prepared, float[] vector)
    {
        if (Dimensions == 0)
        {
            Dimensions = vector.Length;
        }
        else if (vector.Length != Dimensions)
        {
            throw new InvalidOperationException($"The embedding generator returned vectors of {Dimensions} and {vector.Length} dimensions.");
        }

        VectorMath.Normalize(vector);
        _vectors[prepared] = vector;
    }

    /// <summary>The embedding of <paramref name="text"/> (raw), or null when it is empty or was not embedded.</summary>
    public float[]? Get(string? text) => Prepare(text) is { } prepared && _vectors.TryGetValue(prepared, out var vector) ? vector : null;
}
