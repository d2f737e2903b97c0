using EvalLoop.Analysis.Embeddings;
using EvalLoop.Analysis.Signals;

namespace EvalLoop.Analysis.Clustering;

/// <summary>
/// A failure's fixed-size feature vector for KMeans: the weighted unit embeddings of its input, expected value and
/// output (zeros where there is no text), and for each scorer a failed and an errored flag. Two failures with the same
/// confusion pair share two of the three blocks, so they are close whatever their wording.
/// </summary>
internal sealed class FailureFeatures(FailureAnalyzerOptions options, IReadOnlyList<string> scorers, int embeddingDimensions)
{
    public int Dimensions => (3 * embeddingDimensions) + (2 * scorers.Count);

    public float[] Build(FailureCase failure, EmbeddedTexts texts)
    {
        var vector = new float[Dimensions];
        var span = vector.AsSpan();
        // The text that carries the kind's signal counts more: the wrong answer of an invalid label, the expected label
        // of an empty answer (a confusion has both in its pair already).
        var expectedWeight = options.ExpectedWeight * (failure.Kind == FailureKinds.EmptyOutput ? options.SignalEmphasis : 1f);
        var outputWeight = options.OutputWeight * (failure.Kind == FailureKinds.InvalidLabel ? options.SignalEmphasis : 1f);
        Put(span[..embeddingDimensions], texts.Get(failure.Input), options.InputWeight);
        Put(span.Slice(embeddingDimensions, embeddingDimensions), texts.Get(failure.Expected), expectedWeight);
        Put(span.Slice(2 * embeddingDimensions, embeddingDimensions), texts.Get(failure.Output), outputWeight);

        var offset = 3 * embeddingDimensions;
        for (var s = 0; s < scorers.Count; s++)
        {
            var score = failure.Scores.FirstOrDefault(r => r.Scorer == scorers[s]);
            vector[offset + (2 * s)] = score is { Passed: false } ? options.ScorerWeight : 0f;
            vector[offset + (2 * s) + 1] = score?.Error is not null ? options.ScorerWeight : 0f;
        }

        return vector;
    }

    private static void Put(Span<float> destination, float[]? embedding, float weight)
    {
        if (embedding is null)
        {
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = embedding[i] * weight;
        }
    }
}
