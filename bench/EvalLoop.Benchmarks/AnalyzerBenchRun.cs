using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Storage.Sqlite;

namespace EvalLoop.Benchmarks;

/// <summary>
/// A synthetic run stored in SQLite for <c>bench analyzer</c>: N failing results of four planted kinds (60%
/// wrong-but-valid confusions, mostly between fixed label pairs; 15% answers outside the label set; 10% empty answers;
/// 15% provider errors) and N/4 passing ones. Inputs are BANKING77 messages (joined in pairs beyond the file's 2,002,
/// so every input is distinct); the prompt lists the 77 labels.
/// </summary>
internal static class AnalyzerBenchRun
{
    public const string Confusion = "confusion";
    public const string Invalid = "invalid-label";
    public const string Empty = "empty-output";
    public const string Error = "error";

    private static readonly string[] InvalidOutputs = ["unknown", "I am not sure", "card_arival", "refund", "other", "Card delivery", "N/A", "transfer"];

    private static readonly string[] ErrorKinds = ["timeout", "http_429", "http_500"];

    /// <summary>Stores the run <paramref name="runId"/> and returns the planted kind of each failing case id.</summary>
    public static async Task<Dictionary<string, string>> StoreAsync(
        SqliteDatabase database,
        string runId,
        int failures,
        IReadOnlyList<(string Input, string Label)> messages,
        int seed,
        CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var labels = messages.Select(m => m.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Each label has one label it is usually confused with: that is what makes confusion patterns worth finding.
        var confusedWith = labels.ToDictionary(l => l, l => labels[(Array.IndexOf(labels, l) + 1 + random.Next(3)) % labels.Length], StringComparer.Ordinal);
        var total = failures + (failures / 4);
        var plan = new string[total];
        for (var i = 0; i < total; i++)
        {
            plan[i] = i >= failures ? "pass"
                : i < failures * 60 / 100 ? Confusion
                : i < failures * 75 / 100 ? Invalid
                : i < failures * 85 / 100 ? Empty
                : Error;
        }

        random.Shuffle(plan);
        var cases = new List<DatasetCase>(total);
        var results = new List<CaseResult>(total);
        var planted = new Dictionary<string, string>(StringComparer.Ordinal);
        var scorer = new ScorerDefinition("intent-match", "exact-match", 1, null);
        for (var i = 0; i < total; i++)
        {
            var (input, label) = messages[i % messages.Count];
            if (i >= messages.Count)
            {
                input = $"{input} {messages[random.Next(messages.Count)].Input}";
            }

            var id = $"bench-{i:D6}";
            cases.Add(new DatasetCase(id, JsonSerializer.SerializeToElement(input), JsonSerializer.SerializeToElement(label), null, "test"));
            var kind = plan[i];
            string? output = kind switch
            {
                "pass" => label,
                Confusion => random.NextDouble() < 0.8 ? confusedWith[label] : labels[random.Next(labels.Length)] is var other && other != label ? other : confusedWith[label],
                Invalid => InvalidOutputs[random.Next(InvalidOutputs.Length)],
                Empty => string.Empty,
                _ => null,
            };
            var errorKind = kind == Error ? ErrorKinds[random.Next(ErrorKinds.Length)] : null;
            var passed = kind == "pass";
            results.Add(new CaseResult
            {
                RunId = runId,
                CaseId = id,
                Trial = 1,
                Ordinal = i,
                Output = output,
                ErrorKind = errorKind,
                ErrorMessage = errorKind is null ? null : $"The model call failed with {errorKind}.",
                Scores = errorKind is null ? [new ScoreRecord(scorer.Name, passed ? 1 : 0, passed, "exact match", null)] : [],
                Passed = passed,
                CompletedAt = DateTimeOffset.UtcNow,
            });
            if (!passed)
            {
                planted[id] = kind;
            }
        }

        var datasets = new SqliteDatasetStore(database);
        var version = await datasets.SaveAsync($"bench-{runId}", cases, null, cancellationToken);
        var experiment = new ExperimentDefinition
        {
            Name = "bench-analyzer",
            Dataset = version.Name,
            Split = "test",
            Prompt = new PromptDefinition(
                "Classify the customer's message into exactly one of the following intents:\n" + string.Join("\n", labels.Select(l => "- " + l)) + "\nAnswer with the intent name only.",
                "{{input}}"),
            Model = new ModelSettings { Provider = ModelProviders.Offline, Name = "offline-knn-v1" },
            Scorers = [scorer],
        };
        var runs = new SqliteRunStore(database);
        await runs.SaveRunAsync(
            new RunRecord
            {
                Id = runId,
                ExperimentName = experiment.Name,
                ExperimentJson = ExperimentSnapshot.Serialize(experiment),
                PromptVersion = "bench",
                DatasetName = version.Name,
                DatasetVersion = version.Version,
                Split = "test",
                Provider = ModelProviders.Offline,
                Model = "offline-knn-v1",
                Status = RunStatus.Completed,
                PlannedResults = total,
                StartedAt = DateTimeOffset.UtcNow,
            },
            cancellationToken);
        foreach (var batch in results.Chunk(1_000))
        {
            await runs.AppendAsync(batch, cancellationToken);
        }

        return planted;
    }

    /// <summary>BANKING77 messages and labels from the workspace's sample dataset.</summary>
    public static List<(string Input, string Label)> LoadMessages(string repository)
    {
        var path = Path.Combine(repository, "datasets", "banking77.jsonl");
        var messages = new List<(string, string)>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            messages.Add((json.RootElement.GetProperty("input").GetString()!, json.RootElement.GetProperty("expected").GetString()!));
        }

        return messages;
    }
}
