using System.Globalization;
using System.Text.Json;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Suggestions;
using EvalLoop.Storage.Sqlite;

namespace EvalLoop.Benchmarks;

/// <summary>
/// The synthetic runs <c>bench report</c> measures: BANKING77 messages cycled to N cases, an exact-match and a graded
/// scorer, about 40% failures with rationales, lognormal latencies, metadata with a label and a channel, the earlier
/// runs of the trend, 8 failure clusters and a few suggestions, all in the real SQLite stores.
/// </summary>
internal static class ReportBenchRun
{
    private const int Batch = 500;
    private static readonly string[] Channels = ["app", "web", "email", "chat", "phone"];

    public static async Task<IReadOnlyList<RunRecord>> StoreAsync(SqliteDatabase database, IReadOnlyList<(string Input, string Label)> messages, int cases, int history, CancellationToken cancellationToken)
    {
        var datasets = new SqliteDatasetStore(database);
        var runs = new SqliteRunStore(database);
        var labels = messages.Select(m => m.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var rows = Enumerable.Range(0, cases).Select(i =>
        {
            var (input, label) = messages[i % messages.Count];
            var metadata = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["label"] = label, ["channel"] = Channels[i % Channels.Length], ["row"] = i });
            return new DatasetCase($"bench-{i + 1:00000}", JsonSerializer.SerializeToElement(i < messages.Count ? input : $"{input} (#{i / messages.Count})"), JsonSerializer.SerializeToElement(label), metadata, "test");
        }).ToList();
        var dataset = await datasets.SaveAsync("bench-banking77", rows, null, cancellationToken);

        var stored = new List<RunRecord>();
        var start = DateTimeOffset.Parse("2026-11-01T08:00:00Z", CultureInfo.InvariantCulture);
        for (var r = 0; r <= history; r++)
        {
            // Each run fails fewer cases than the one before: the trend goes up.
            var failShare = 0.55 - (0.15 * r / Math.Max(history, 1));
            var experiment = Experiment(labels, r);
            var run = new RunRecord
            {
                Id = $"bench-run-{r}",
                ExperimentName = experiment.Name,
                ExperimentJson = ExperimentSnapshot.Serialize(experiment),
                PromptVersion = ExperimentRunner.PromptVersion(experiment.Prompt),
                DatasetName = dataset.Name,
                DatasetVersion = dataset.Version,
                Split = "test",
                Provider = "openai",
                Model = "gpt-4o-mini",
                Status = RunStatus.Completed,
                PlannedResults = cases,
                StartedAt = start.AddDays(r),
                FinishedAt = start.AddDays(r).AddMinutes(9),
                WallSeconds = 540,
            };
            await runs.SaveRunAsync(run, cancellationToken);
            var random = new Random(1000 + r);
            var batch = new List<CaseResult>(Batch);
            for (var i = 0; i < rows.Count; i++)
            {
                batch.Add(Result(run.Id, rows[i], i, labels, failShare, random, start.AddDays(r)));
                if (batch.Count == Batch)
                {
                    await runs.AppendAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }

            await runs.AppendAsync(batch, cancellationToken);
            stored.Add(run);
        }

        await StoreAnalysisAsync(database, runs, stored[^1], cancellationToken);
        return stored;
    }

    /// <summary>The (input, label) pairs of the sample BANKING77 dataset.</summary>
    public static List<(string Input, string Label)> LoadMessages(string repository)
    {
        var messages = new List<(string, string)>();
        foreach (var line in File.ReadLines(Path.Combine(repository, "datasets", "banking77.jsonl")))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                using var json = JsonDocument.Parse(line);
                messages.Add((json.RootElement.GetProperty("input").GetString()!, json.RootElement.GetProperty("expected").GetString()!));
            }
        }

        return messages;
    }

    private static ExperimentDefinition Experiment(string[] labels, int version) => new()
    {
        Name = "bench-banking77",
        Goal = "Route each customer message to the right intent; accuracy >= 0.85.",
        Dataset = "bench-banking77",
        Split = "test",
        Prompt = new PromptDefinition(
            "You route an online bank's support messages. Answer with exactly one intent:\n" + string.Join('\n', labels.Select(l => "- " + l))
                + (version > 0 ? $"\nExamples (revision {version}):\nInput: my card has not arrived\nOutput: card_arrival" : string.Empty),
            "{{input}}"),
        Model = new ModelSettings { Provider = "openai", Name = "gpt-4o-mini", Temperature = 0, MaxTokens = 16 },
        Scorers = [new ScorerDefinition("intent-match", "exact-match", 1, null), new ScorerDefinition("label-similarity", "embedding-similarity", 0.8, null)],
        Targets = new Dictionary<string, double> { ["intent-match"] = 0.85, ["label-similarity"] = 0.9 },
    };

    private static CaseResult Result(string runId, DatasetCase @case, int ordinal, string[] labels, double failShare, Random random, DateTimeOffset at)
    {
        var expected = @case.ExpectedText!;
        var error = random.NextDouble() < 0.004;
        var fails = !error && random.NextDouble() < failShare;
        var output = fails ? labels[random.Next(labels.Length)] : expected;
        var similarity = fails ? Math.Round(0.35 + (random.NextDouble() * 0.5), 4) : Math.Round(0.9 + (random.NextDouble() * 0.1), 4);
        ScoreRecord[] scores = error
            ? []
            :
            [
                new ScoreRecord("intent-match", fails ? 0 : 1, !fails, fails ? $"expected '{expected}', got '{output}'" : "exact match", null),
                new ScoreRecord("label-similarity", similarity, similarity >= 0.8, $"cosine similarity {similarity:0.000} of the output and the expected label", null),
            ];

        // Lognormal around 300 ms, as a hosted model's latencies look.
        var latency = Math.Exp(Math.Log(300) + (0.5 * Gaussian(random)));
        return new CaseResult
        {
            RunId = runId,
            CaseId = @case.Id,
            Trial = 1,
            Ordinal = ordinal,
            Output = error ? null : output,
            ErrorKind = error ? "http_429" : null,
            ErrorMessage = error ? "429 Too Many Requests after 4 retries" : null,
            Scores = scores,
            Passed = !error && scores.All(s => s.Passed),
            InputTokens = 520 + random.Next(40),
            OutputTokens = 4,
            Cost = 0.00008m,
            CacheHit = false,
            LatencyMs = Math.Round(latency, 1),
            CompletedAt = at.AddSeconds(ordinal * 0.05),
        };
    }

    private static async Task StoreAnalysisAsync(SqliteDatabase database, SqliteRunStore runs, RunRecord run, CancellationToken cancellationToken)
    {
        var failing = new List<CaseResult>();
        await foreach (var result in runs.ReadAsync(run.Id, cancellationToken))
        {
            if (!result.Passed)
            {
                failing.Add(result);
            }
        }

        const int Clusters = 8;
        var clusters = Enumerable.Range(0, Clusters).Select(k =>
        {
            var members = failing.Where((_, i) => i % Clusters == k).Select(r => new ClusterMember(r.CaseId, r.Trial)).ToArray();
            return new FailureCluster(
                $"{run.Id}-c{k}",
                k,
                $"label confusions: pattern {k + 1}",
                $"{members.Length} cases answered a wrong label; most often card_arrival -> card_delivery_estimate.",
                (double)members.Length / failing.Count,
                members,
                members.Take(5).ToArray(),
                "confusion",
                [new ScorerFailure("intent-match", members.Length, 0)],
                [new ConfusionPair("card_arrival", "card_delivery_estimate", 12), new ConfusionPair("top_up_failed", "top_up_reverted", 7)],
                ["card", "arrive", "delivery", "week"]);
        }).ToList();
        await new SqliteClusterStore(database).SaveAsync(new ClusterAnalysis(run.Id, "bench", "{}", run.StartedAt.AddMinutes(10), failing.Count, clusters), cancellationToken);

        var suggestions = new SqliteSuggestionStore(database);
        for (var i = 0; i < 3; i++)
        {
            await suggestions.SaveAsync(
                new Suggestion
                {
                    Id = $"bench-s{i}",
                    RunId = run.Id,
                    ExperimentName = run.ExperimentName,
                    Kind = SuggestionKinds.Prompt,
                    Title = $"Add few-shot examples for pattern {i + 1}",
                    Summary = "Three examples of the confused intents, one per line.",
                    ChangeJson = """{"system_append": "Input: my card has not arrived\nOutput: card_arrival"}""",
                    EvidenceJson = i == 0 ? """{"verification_run": "bench-run-v", "pass_rate_before": 0.61, "pass_rate_after": 0.68}""" : null,
                    ClusterIds = [clusters[i].Id],
                    CreatedAt = run.StartedAt.AddMinutes(11 + i),
                },
                cancellationToken);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
