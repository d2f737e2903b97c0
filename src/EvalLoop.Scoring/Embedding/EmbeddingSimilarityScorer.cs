using System.Text.Json;
using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring.Embedding;

/// <summary>
/// <c>embedding-similarity</c>: cosine similarity of the output's and the expected value's embeddings, rescaled as
/// Braintrust autoevals' <c>EmbeddingSimilarity</c> does: <c>max((cos - expected_min) / (1 - expected_min), 0)</c>, with
/// the cosine capped at 1 against rounding and 0 for a zero vector. So with the default <c>expected_min</c> of 0.7 a
/// cosine of 0.7 or less scores 0 and 0.85 scores 0.5. Options: <c>expected_min</c> (0 to below 1), <c>prefix</c> (text
/// put before both sides, to name their domain), <c>model</c> (an embedding model, e.g.
/// <c>{provider: openai, name: text-embedding-3-small, api_key_env: OPENAI_API_KEY}</c>; default: the host's generator).
/// Threshold default 0.5.
/// </summary>
/// <remarks>
/// The embeddings come from the <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> the host composes (the offline,
/// lexical generator by default: it measures shared words, not meaning), or from the OpenAI-compatible endpoint that
/// <c>options.model</c> names. A generator failure is an error on that case.
/// </remarks>
public sealed class EmbeddingSimilarityScorer : IScorer
{
    public const string TypeName = "embedding-similarity";
    private const string OfflineModelName = "offline-lexical-v1";
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly double _expectedMin;
    private readonly string _prefix;
    private readonly double _threshold;

    public EmbeddingSimilarityScorer(ScorerDefinition definition, IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Definition = definition;
        _generator = generator;
        var options = new ScorerOptions(definition, "expected_min", "prefix", "model");
        _expectedMin = options.GetDouble("expected_min", 0.7, 0, 0.999);
        _prefix = options.GetString("prefix") ?? string.Empty;
        _ = ReadModel(definition);
        _threshold = definition.Threshold ?? 0.5;
    }

    public ScorerDefinition Definition { get; }

    public async ValueTask<ScoreResult> ScoreAsync(ScoringInput input, CancellationToken cancellationToken = default)
    {
        if (input.Case.ExpectedText is not { } expected)
        {
            return ScoreResult.Failure(ScorerValues.NoExpected);
        }

        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await _generator.GenerateAsync([_prefix + input.Output, _prefix + expected], cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return ScoreResult.Failure($"embedding failed: {ex.Message}");
        }

        if (embeddings.Count != 2 || embeddings[0].Vector.Length != embeddings[1].Vector.Length)
        {
            return ScoreResult.Failure($"the embedding generator returned {embeddings.Count} vectors of mismatched sizes");
        }

        var cosine = Cosine(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var score = Scale(cosine, _expectedMin);
        return ScoreResult.FromScore(score, _threshold, $"cosine similarity {ScorerValues.Format(cosine)} (scores 0 at or below {ScorerValues.Format(_expectedMin)})");
    }

    /// <summary>
    /// The embedding model named by <c>options.model</c> (<c>provider</c>, <c>name</c>, <c>base_url</c>,
    /// <c>api_key_env</c>, <c>timeout_seconds</c>), or null when the scorer uses the host's default generator.
    /// </summary>
    public static ModelSettings? ReadModel(ScorerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = new ScorerOptions(definition, "expected_min", "prefix", "model");
        if (options.GetElement("model") is not { } model)
        {
            return null;
        }

        string[] keys = ["provider", "name", "base_url", "api_key_env", "timeout_seconds"];
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw options.Error("model", $"must be a mapping with {string.Join(", ", keys)}");
        }

        foreach (var property in model.EnumerateObject())
        {
            if (!keys.Contains(property.Name, StringComparer.Ordinal))
            {
                throw options.Error("model." + property.Name, $"unknown key (allowed: {string.Join(", ", keys)})");
            }
        }

        string? Text(string key) => model.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw options.Error("model." + key, "must be text")
            : null;
        var provider = Text("provider") ?? throw options.Error("model.provider", "required: openai (any OpenAI-compatible endpoint) or offline");
        var seconds = model.TryGetProperty("timeout_seconds", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetDouble(out var s) && s is > 0 and <= 3600
            ? s
            : model.TryGetProperty("timeout_seconds", out _) ? throw options.Error("model.timeout_seconds", "must be a number of seconds up to 3600") : 60;
        return new ModelSettings
        {
            Provider = provider,
            Name = Text("name") ?? (provider == ModelProviders.Offline ? OfflineModelName : throw options.Error("model.name", "required: the embedding model, e.g. text-embedding-3-small")),
            BaseUrl = Text("base_url"),
            ApiKeyEnv = Text("api_key_env"),
            Timeout = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>autoevals' <c>scale_score</c>: <c>max((cosine - expectedMin) / (1 - expectedMin), 0)</c>.</summary>
    public static double Scale(double cosine, double expectedMin) => Math.Max((cosine - expectedMin) / (1 - expectedMin), 0);

    /// <summary>autoevals' <c>cosine_similarity</c>: 0 when either vector is zero, capped at 1.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        var magnitude = Math.Sqrt(na) * Math.Sqrt(nb);
        return magnitude == 0 ? 0 : Math.Min(dot / magnitude, 1);
    }
}
