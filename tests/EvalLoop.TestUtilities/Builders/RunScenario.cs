using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.TestUtilities.Builders;

/// <summary>
/// Stored runs for report tests and benchmarks, without running a model: a dataset snapshot, runs of an experiment
/// with the results a test chooses, in in-memory stores (clusters and suggestions included).
/// </summary>
public sealed class RunScenario
{
    public InMemoryRunStore Runs { get; } = new();

    public InMemoryDatasetStore Datasets { get; } = new();

    public InMemoryClusterStore Clusters { get; } = new();

    public InMemorySuggestionStore Suggestions { get; } = new();

    /// <summary>A dataset case with a string input, an expected string and metadata given as JSON (or null).</summary>
    public static DatasetCase Case(string id, string input, string? expected, string? metadataJson = null, string? split = null) => new(
        id,
        JsonSerializer.SerializeToElement(input),
        expected is null ? null : JsonSerializer.SerializeToElement(expected),
        metadataJson is null ? null : JsonText.Parse(metadataJson),
        split);

    /// <summary>An experiment with an exact-match scorer (and any others named) and optional targets.</summary>
    public static ExperimentDefinition Experiment(
        string name = "demo",
        string system = "Classify the message.",
        string user = "{{input}}",
        IReadOnlyList<string>? scorers = null,
        IReadOnlyDictionary<string, double>? targets = null,
        string? goal = "Answer right.",
        string? split = null) => new()
    {
        Name = name,
        Goal = goal,
        Dataset = "demo",
        Split = split,
        Prompt = new PromptDefinition(system, user),
        Model = new ModelSettings { Provider = "offline", Name = "offline" },
        Scorers = (scorers ?? ["exact-match"]).Select(s => new ScorerDefinition(s, s == "exact-match" ? "exact-match" : "contains", 0.5, null)).ToList(),
        Targets = targets ?? new Dictionary<string, double>(),
    };

    public Task<DatasetVersion> AddDatasetAsync(IReadOnlyList<DatasetCase> cases, string name = "demo") =>
        Datasets.SaveAsync(name, cases, null);

    /// <summary>
    /// Stores a completed run of <paramref name="experiment"/> over <paramref name="cases"/> (in order, one trial),
    /// with the result <paramref name="result"/> gives for each case and its ordinal.
    /// </summary>
    public async Task<RunRecord> AddRunAsync(
        ExperimentDefinition experiment,
        DatasetVersion dataset,
        IReadOnlyList<DatasetCase> cases,
        Func<DatasetCase, int, ScenarioResult> result,
        DateTimeOffset startedAt,
        string? id = null,
        string status = RunStatus.Completed,
        int? planned = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(result);
        var run = new RunRecord
        {
            Id = id ?? $"{startedAt:yyyyMMdd-HHmmss}-{experiment.Name}",
            ExperimentName = experiment.Name,
            ExperimentJson = ExperimentSnapshot.Serialize(experiment),
            PromptVersion = ExperimentRunner.PromptVersion(experiment.Prompt),
            DatasetName = dataset.Name,
            DatasetVersion = dataset.Version,
            Split = experiment.Split,
            Provider = experiment.Model.Provider,
            Model = experiment.Model.Name,
            Status = status,
            PlannedResults = planned ?? cases.Count,
            StartedAt = startedAt,
            FinishedAt = startedAt.AddSeconds(12.5),
            WallSeconds = 12.5,
        };
        await Runs.SaveRunAsync(run);
        var results = new List<CaseResult>(cases.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var r = result(cases[i], i);
            if (r.Skip)
            {
                continue;
            }

            var scores = experiment.Scorers.Select(s => r.Scores?.FirstOrDefault(x => x.Scorer == s.Name)
                ?? new ScoreRecord(s.Name, r.Error is null ? (r.Passed ? 1 : 0) : null, r.Error is null && r.Passed, r.Rationale, null)).ToArray();
            results.Add(new CaseResult
            {
                RunId = run.Id,
                CaseId = cases[i].Id,
                Trial = 1,
                Ordinal = i,
                Output = r.Error is null ? r.Output : null,
                ErrorKind = r.Error,
                ErrorMessage = r.Error is null ? null : "the call failed: " + r.Error,
                Scores = r.Error is null ? scores : [],
                Passed = r.Error is null && scores.All(s => s.Passed),
                InputTokens = 20,
                OutputTokens = 3,
                Cost = 0.0001m,
                LatencyMs = r.LatencyMs,
                CompletedAt = startedAt.AddSeconds(1),
            });
        }

        await Runs.AppendAsync(results);
        return run;
    }
}
