using System.Text.Json;
using EvalLoop.Analysis;
using EvalLoop.Analysis.Describing;
using EvalLoop.Analysis.Embeddings;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Models.Offline;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace EvalLoop.Analysis.Tests;

/// <summary>
/// A stored run to analyse, built case by case in memory: the dataset, the run record (with an experiment whose prompt
/// lists <see cref="Labels"/>) and its results; and an analyzer over it whose embeddings come from the offline
/// generator through a counting fake and a cache.
/// </summary>
internal sealed class AnalysisFixture
{
    public static readonly string[] Labels =
    [
        "card_arrival", "card_delivery_estimate", "lost_or_stolen_card", "exchange_rate", "top_up_failed",
        "request_refund", "declined_transfer", "pin_blocked",
    ];

    private readonly List<DatasetCase> _cases = [];
    private readonly List<CaseResult> _results = [];

    public AnalysisFixture(string runId = "run-1", string? prompt = null, IReadOnlyList<ScorerDefinition>? scorers = null)
    {
        RunId = runId;
        Prompt = prompt ?? "Classify the message into one of these intents:\n" + string.Join("\n", Labels.Select(l => "- " + l)) + "\nAnswer with the intent only.";
        Scorers = scorers ?? [new ScorerDefinition("intent-match", "exact-match", 1, null)];
        Generator = new CallbackEmbeddingGenerator(new LexicalTextFeaturizer().Embed, OfflineEmbeddingGenerator.DefaultModelId, LexicalTextFeaturizer.DefaultDimensions);
    }

    public string RunId { get; }

    public string Prompt { get; }

    public IReadOnlyList<ScorerDefinition> Scorers { get; }

    public InMemoryRunStore Runs { get; } = new();

    public InMemoryDatasetStore Datasets { get; } = new();

    public InMemoryClusterStore Clusters { get; } = new();

    public InMemoryEmbeddingCache Cache { get; } = new();

    /// <summary>The generator behind the cache: counts how many texts really got embedded.</summary>
    public CallbackEmbeddingGenerator Generator { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The planted kind of each failing case id, for purity checks.</summary>
    public Dictionary<string, string> Planted { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a case and its result; <paramref name="output"/> null with an <paramref name="errorKind"/> is an error.</summary>
    public AnalysisFixture Add(string input, string? expected, string? output, string? errorKind = null, string? planted = null, string? id = null, bool? passed = null)
    {
        id ??= $"case-{_cases.Count:D5}";
        _cases.Add(new DatasetCase(
            id,
            JsonSerializer.SerializeToElement(input),
            expected is null ? null : JsonSerializer.SerializeToElement(expected),
            null,
            "test"));
        var ok = passed ?? (errorKind is null && output is not null && string.Equals(output.Trim(), expected, StringComparison.OrdinalIgnoreCase));
        _results.Add(new CaseResult
        {
            RunId = RunId,
            CaseId = id,
            Trial = 1,
            Ordinal = _results.Count,
            Output = errorKind is null ? output : null,
            ErrorKind = errorKind,
            ErrorMessage = errorKind is null ? null : $"The model call failed: {errorKind}",
            Scores = errorKind is null ? Scorers.Select(s => new ScoreRecord(s.Name, ok ? 1 : 0, ok, "equality", null)).ToList() : [],
            Passed = ok,
            CompletedAt = Time.GetUtcNow(),
        });
        if (planted is not null)
        {
            Planted[id] = planted;
        }

        return this;
    }

    /// <summary>Stores the dataset, the run and its results.</summary>
    public async Task<AnalysisFixture> StoreAsync()
    {
        var version = await Datasets.SaveAsync("intents", _cases, null);
        var experiment = new ExperimentDefinition
        {
            Name = "intents",
            Dataset = "intents",
            Split = "test",
            Prompt = new PromptDefinition(Prompt, "{{input}}"),
            Model = new ModelSettings { Provider = ModelProviders.Offline, Name = "offline-knn-v1" },
            Scorers = Scorers,
        };
        await Runs.SaveRunAsync(new RunRecord
        {
            Id = RunId,
            ExperimentName = experiment.Name,
            ExperimentJson = ExperimentSnapshot.Serialize(experiment),
            PromptVersion = "0123456789ab",
            DatasetName = "intents",
            DatasetVersion = version.Version,
            Split = "test",
            Provider = ModelProviders.Offline,
            Model = "offline-knn-v1",
            Status = RunStatus.Completed,
            PlannedResults = _results.Count,
            StartedAt = Time.GetUtcNow(),
        });
        await Runs.AppendAsync(_results);
        return this;
    }

    public FailureAnalyzer Analyzer(FailureAnalyzerOptions? options = null, IClusterNamer? namer = null) =>
        new(Runs, Runs, Datasets, Clusters, new CachingEmbeddingGenerator(Generator, Cache), options, namer, Time);
}
