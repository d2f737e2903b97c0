using System.Collections.Concurrent;
using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Custom;
using EvalLoop.Scoring.Deterministic;
using EvalLoop.Scoring.Embedding;
using EvalLoop.Scoring.ModelGraded;
using Microsoft.Extensions.AI;

namespace EvalLoop.Scoring;

/// <summary>
/// Creates the built-in scorers by type name: deterministic (<c>exact-match</c>, <c>contains</c>, <c>regex</c>,
/// <c>one-of</c>, <c>levenshtein</c>, <c>numeric-diff</c>, <c>json-diff</c>, <c>json-valid</c>, <c>json-schema</c>,
/// <c>token-f1</c>), <c>embedding-similarity</c>, model-graded (<c>llm-rubric</c>, <c>factuality</c>,
/// <c>closed-qa</c>) and <c>exec</c>. Every option problem is thrown here, when the experiment loads.
/// </summary>
/// <remarks>
/// The host composes the model-backed parts: the embedding generator (<c>embedding-similarity</c>
/// refuses to load without one) and the judge factory (an <see cref="IChatClientFactory"/>), which builds each judge with the same
/// wrapper stack as the task model. Model-graded scorers refuse to load, naming the file and line, when their
/// definition has no judge or names the offline model, which cannot grade free text. Judge clients are shared per
/// model settings (so they share rate limits) and disposed with the factory.
/// </remarks>
public sealed class BuiltInScorerFactory : IScorerFactory, IDisposable
{
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddings;
    private readonly IChatClientFactory? _judges;
    private readonly BuiltInScorerFactoryOptions _options;
    private readonly ConcurrentDictionary<ModelSettings, Lazy<IChatClient>> _judgeClients = new();
    private readonly ConcurrentDictionary<ModelSettings, Lazy<IEmbeddingGenerator<string, Embedding<float>>>> _embeddingGenerators = new();
    private readonly Dictionary<string, Func<ScorerDefinition, IScorer>> _factories;

    /// <param name="embeddings">The embedding generator of <c>embedding-similarity</c>; null leaves that type unavailable.</param>
    /// <param name="judges">Builds judge clients; null leaves the model-graded types unavailable.</param>
    /// <param name="options">Workspace folder and judge cache; defaults to <see cref="BuiltInScorerFactoryOptions"/>'s defaults.</param>
    public BuiltInScorerFactory(
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        IChatClientFactory? judges = null,
        BuiltInScorerFactoryOptions? options = null)
    {
        _embeddings = embeddings;
        _judges = judges;
        _options = options ?? new BuiltInScorerFactoryOptions();
        BuiltInScorerFactoryOptionsValidator.ThrowIfInvalid(_options);
        _factories = new Dictionary<string, Func<ScorerDefinition, IScorer>>(StringComparer.Ordinal)
        {
            [ExactMatchScorer.TypeName] = d => new ExactMatchScorer(d),
            [ContainsScorer.TypeName] = d => new ContainsScorer(d),
            [RegexScorer.TypeName] = d => new RegexScorer(d),
            [OneOfScorer.TypeName] = d => new OneOfScorer(d),
            [LevenshteinScorer.TypeName] = d => new LevenshteinScorer(d),
            [NumericDiffScorer.TypeName] = d => new NumericDiffScorer(d),
            [JsonDiffScorer.TypeName] = d => new JsonDiffScorer(d),
            [JsonValidScorer.TypeName] = d => new JsonValidScorer(d),
            [JsonSchemaScorer.TypeName] = d => new JsonSchemaScorer(d, _options.WorkspaceRoot),
            [TokenF1Scorer.TypeName] = d => new TokenF1Scorer(d),
            [EmbeddingSimilarityScorer.TypeName] = d => new EmbeddingSimilarityScorer(d, EmbeddingGenerator(d)),
            [LlmRubricScorer.TypeName] = d => new LlmRubricScorer(d, Judge(d)),
            [FactualityScorer.TypeName] = d => new FactualityScorer(d, Judge(d)),
            [ClosedQaScorer.TypeName] = d => new ClosedQaScorer(d, Judge(d)),
            [ExecScorer.TypeName] = d => new ExecScorer(d, _options.WorkspaceRoot),
        };
    }

    /// <summary>The model-graded types, which need a judge model.</summary>
    public static IReadOnlyCollection<string> ModelGradedTypes { get; } = [LlmRubricScorer.TypeName, FactualityScorer.TypeName, ClosedQaScorer.TypeName];

    public IReadOnlyCollection<string> KnownTypes => _factories.Keys;

    public IScorer Create(ScorerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return _factories.TryGetValue(definition.Type, out var factory)
            ? factory(definition)
            : throw new ArgumentException($"unknown scorer type '{definition.Type}' (built-in: {string.Join(", ", _factories.Keys)})");
    }

    public void Dispose()
    {
        foreach (var client in _judgeClients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        _judgeClients.Clear();
        foreach (var generator in _embeddingGenerators.Values.Where(g => g.IsValueCreated))
        {
            generator.Value.Dispose();
        }

        _embeddingGenerators.Clear();
    }

    private IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(ScorerDefinition definition)
    {
        if (EmbeddingSimilarityScorer.ReadModel(definition) is not { } model)
        {
            return _embeddings ?? throw new InvalidOperationException($"scorer '{definition.Name}': no embedding generator is configured in this host");
        }

        var create = _options.EmbeddingModels
            ?? throw new InvalidOperationException($"scorer '{definition.Name}': this host cannot create embedding models");
        try
        {
            return _embeddingGenerators.GetOrAdd(model, settings => new Lazy<IEmbeddingGenerator<string, Embedding<float>>>(() => create(settings))).Value;
        }
        catch (ModelConfigurationException ex)
        {
            _embeddingGenerators.TryRemove(model, out _);
            throw new WorkspaceFileException(definition.SourcePath ?? "<experiment>", definition.Line, $"scorer '{definition.Name}' options.model", ex.Message, ex);
        }
    }

    private IChatClient Judge(ScorerDefinition definition)
    {
        var judge = definition.Judge;
        if (judge is null || judge.Provider == ModelProviders.Offline)
        {
            throw new WorkspaceFileException(
                definition.SourcePath ?? "<experiment>",
                definition.Line,
                $"scorer '{definition.Name}' judge",
                $"'{definition.Type}' is graded by a judge model and none is configured: "
                + (judge is null
                    ? "there is no judge mapping, and the offline model (an experiment's model when it runs offline) cannot grade free text"
                    : "the judge is the offline model, which cannot grade free text")
                + ". Give the scorer's file a judge, e.g. judge: { provider: openai, name: gpt-4o-mini, api_key_env: OPENAI_API_KEY }");
        }

        if (_judges is null)
        {
            throw new InvalidOperationException($"scorer '{definition.Name}': this host cannot create judge models");
        }

        try
        {
            return _judgeClients.GetOrAdd(
                judge,
                settings => new Lazy<IChatClient>(() => _judges.Create(settings, new ChatClientCreationOptions { UseCache = _options.UseJudgeCache }))).Value;
        }
        catch (ModelConfigurationException ex)
        {
            _judgeClients.TryRemove(judge, out _);
            throw new WorkspaceFileException(definition.SourcePath ?? "<experiment>", definition.Line, $"scorer '{definition.Name}' judge", ex.Message, ex);
        }
    }
}
