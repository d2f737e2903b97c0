using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Suggestions.Goals;

/// <summary>
/// Drafts a goal plan without a model, from what the description and the dataset say for certain: each clause of the
/// description becomes a requirement; the dataset's expected values give a label set (a <c>one-of</c> scorer file with
/// every label, for a clause about answering with one of the known labels, and <c>exact-match</c> for accuracy) when they
/// look like labels, or <c>json-valid</c> when every one is JSON. A clause's target is only what it states
/// (<see cref="GoalTargetParser"/>: "&gt;= 0.85", "90% accuracy"); without one the requirement has no target (it is
/// tracked, never "met"). A clause it cannot map, or one with an upper bound ("at most 5%"), stays uncovered, flagged.
/// </summary>
public sealed partial class OfflineGoalDrafter(WorkspaceLayout workspace)
{
    // Non-ASCII stays readable in the YAML the user will edit; JSON escapes quotes, backslashes and control characters.
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Expected values look like labels when there are at most this many distinct ones ...</summary>
    public const int MaxLabels = 200;

    /// <summary>... each at most this long, on one line.</summary>
    public const int MaxLabelLength = 64;

    public async Task<GoalDraft> DraftAsync(string name, string description, string? dataset, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        CheckNew(name);
        var clauses = Clauses(description);
        var facts = await FactsAsync(dataset, cancellationToken);

        return Assemble(name, description, facts, OfflineRequirements(name, clauses, facts), "offline", model: null);
    }

    /// <summary>What the dataset says for certain (labels, JSON-ness), or null without a dataset.</summary>
    internal async Task<DatasetFacts?> FactsAsync(string? dataset, CancellationToken cancellationToken)
    {
        if (dataset is null)
        {
            return null;
        }

        var full = workspace.ResolveDatasetPath(dataset);
        if (!File.Exists(full))
        {
            throw new ArgumentException($"dataset not found: {full}", nameof(dataset));
        }

        return Facts(await JsonlDatasetReader.ReadAsync(full, cancellationToken), dataset.Contains('/', StringComparison.Ordinal) || dataset.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? Path.GetRelativePath(workspace.Root, full).Replace('\\', '/')
            : dataset);
    }

    /// <summary>Checks the name and that the goal file does not exist yet.</summary>
    internal void CheckNew(string name)
    {
        if (!GoalReference.IsValidName(name))
        {
            throw new ArgumentException($"goal name '{name}': use letters, digits, '-', '_' and '.' only", nameof(name));
        }

        Refuse($"experiments/{GoalLoader.DirectoryName}/{name}.yaml");
    }

    private static List<DraftRequirement> OfflineRequirements(string name, List<string> clauses, DatasetFacts? facts)
    {
        var requirements = new List<DraftRequirement>();
        var labelScorer = $"{name}-labels";
        foreach (var clause in clauses)
        {
            if (GoalTargetParser.HasUpperBound(clause))
            {
                // A target is a minimum pass rate; "at most 5% ..." cannot be one, so it is left for the user to map.
                requirements.Add(new DraftRequirement(UniqueId(requirements, clause), clause, null, null));
                continue;
            }

            var target = GoalTargetParser.Parse(clause);
            string? scorer = null;
            if (facts is not null && JsonWord().IsMatch(clause) && facts.AllJson)
            {
                scorer = "json-valid";
            }
            else if (facts?.Labels is not null && LabelSetWords().IsMatch(clause))
            {
                // "answers with exactly one of the known intents" is about the label set, not about the right label.
                scorer = labelScorer;
            }
            else if (facts?.Labels is not null && AccuracyWords().IsMatch(clause))
            {
                scorer = "exact-match";
            }

            requirements.Add(new DraftRequirement(UniqueId(requirements, clause), clause, target, scorer));
        }

        if (facts?.Labels is { } labels && requirements.All(r => r.Scorer != labelScorer))
        {
            requirements.Add(new DraftRequirement(UniqueId(requirements, "answers-in-label-set"), $"answers with exactly one of the {labels.Count} known labels", null, labelScorer));
        }
        else if (facts is { AllJson: true } && requirements.All(r => r.Scorer != "json-valid"))
        {
            requirements.Add(new DraftRequirement(UniqueId(requirements, "valid-json"), "answers with valid JSON, like every expected value", null, "json-valid"));
        }

        return requirements;
    }

    /// <summary>The files of a draft: the goal, a label scorer file when the dataset has labels, and an experiment serving the goal.</summary>
    internal GoalDraft Assemble(string name, string description, DatasetFacts? facts, List<DraftRequirement> requirements, string source, Core.Models.ModelSettings? model)
    {
        var goalPath = $"experiments/{GoalLoader.DirectoryName}/{name}.yaml";
        var labelScorer = $"{name}-labels";
        var files = new List<DraftFile>();
        var covered = facts is not null;
        if (facts is not null)
        {
            var experimentPath = $"experiments/{name}.yaml";
            Refuse(experimentPath);
            if (facts.Labels is { } l && requirements.Any(r => r.Scorer == labelScorer))
            {
                var scorerPath = $"scorers/{labelScorer}.yaml";
                Refuse(scorerPath);
                files.Add(new DraftFile(scorerPath, LabelScorerYaml(name, l)));
            }

            files.Add(new DraftFile(experimentPath, ExperimentYaml(name, facts, requirements, model)));
        }

        var goalYaml = GoalYaml(name, description, covered, requirements, source);
        GoalLoader.Parse(Path.Combine(workspace.Root, goalPath), goalYaml);
        files.Insert(0, new DraftFile(goalPath, goalYaml));
        var uncovered = requirements.Where(r => !covered || r.Scorer is null).Select(r => r.Id).ToList();
        return new GoalDraft(name, description, facts?.Dataset, files, uncovered, source);
    }

    private void Refuse(string relativePath)
    {
        if (File.Exists(Path.Combine(workspace.Root, relativePath)))
        {
            throw new InvalidOperationException($"{relativePath} already exists; a goal draft only writes new files (choose another name, or edit the file by hand)");
        }
    }

    internal static List<string> Clauses(string description) =>
        ClauseSplit().Split(description).Select(c => c.Trim().TrimEnd('.', ';').Trim()).Where(c => c.Length > 0).ToList();

    internal static DatasetFacts Facts(IReadOnlyList<DatasetCase> cases, string dataset)
    {
        var expected = cases.Where(c => c.Expected is { ValueKind: not JsonValueKind.Null }).Select(c => c.Expected!.Value).ToList();
        var allJson = expected.Count > 0 && expected.All(IsJson);
        List<string>? labels = null;
        if (!allJson && expected.Count > 0 && expected.All(e => e.ValueKind == JsonValueKind.String))
        {
            var distinct = expected.Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (distinct.Count is >= 2 and <= MaxLabels && distinct.Count * 2 <= expected.Count
                && distinct.All(l => l.Length is > 0 and <= MaxLabelLength && !l.Contains('\n', StringComparison.Ordinal) && !l.Contains("{{", StringComparison.Ordinal)))
            {
                labels = distinct;
            }
        }

        return new DatasetFacts(dataset, labels, allJson, cases.Any(c => c.Split == "test"));
    }

    private static bool IsJson(JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.TrimStart() is not ['{' or '[', ..] text)
        {
            return false;
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string UniqueId(List<DraftRequirement> existing, string text)
    {
        var words = Words().Matches(text.ToLowerInvariant()).Select(m => m.Value).Take(4).ToList();
        var id = words.Count == 0 ? "requirement" : string.Join('-', words);
        var unique = id;
        for (var i = 2; existing.Any(r => r.Id == unique); i++)
        {
            unique = $"{id}-{i}";
        }

        return unique;
    }

    private static string GoalYaml(string name, string description, bool covered, List<DraftRequirement> requirements, string source)
    {
        var sb = new StringBuilder();
        sb.Append("# Goal drafted by `evalloop goal new` (").Append(source).Append("). Requirements without covered_by are uncovered: map them to a scorer.\n");
        sb.Append("name: ").Append(name).Append('\n');
        sb.Append("description: ").Append(Quote(description)).Append('\n');
        sb.Append("experiments: [").Append(covered ? name : string.Empty).Append("]\n");
        sb.Append("requirements:\n");
        foreach (var r in requirements)
        {
            sb.Append("  - id: ").Append(r.Id).Append('\n');
            sb.Append("    text: ").Append(Quote(r.Text)).Append('\n');
            if (r.Target is { } t)
            {
                sb.Append("    target: ").Append(t.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            if (covered && r.Scorer is { } scorer)
            {
                sb.Append("    covered_by:\n      - { experiment: ").Append(name).Append(", scorer: ").Append(scorer);
                if (r.Slice is { Count: > 0 } slice)
                {
                    sb.Append(", slice: { ").Append(string.Join(", ", slice.Select(kv => $"{Quote(kv.Key)}: {Quote(kv.Value)}"))).Append(" }");
                }

                sb.Append(" }\n");
            }
        }

        return sb.ToString();
    }

    private static string LabelScorerYaml(string name, IReadOnlyList<string> labels)
    {
        var sb = new StringBuilder();
        sb.Append("# Drafted by `evalloop goal new ").Append(name).Append("`: the answer must be one of the dataset's labels.\n");
        sb.Append("type: one-of\n");
        sb.Append("description: ").Append(Quote($"answers with exactly one of the {labels.Count} labels of the dataset")).Append('\n');
        sb.Append("options:\n  values:\n");
        foreach (var label in labels)
        {
            sb.Append("    - ").Append(Quote(label)).Append('\n');
        }

        return sb.ToString();
    }

    private static string ExperimentYaml(string name, DatasetFacts facts, List<DraftRequirement> requirements, Core.Models.ModelSettings? model)
    {
        var scorers = requirements.Select(r => r.Scorer).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append("# Drafted by `evalloop goal new ").Append(name).Append("`: a starting point; improve the prompt, then trust the numbers.\n");
        sb.Append("name: ").Append(name).Append('\n');
        sb.Append("goal: ").Append(name).Append('\n');
        sb.Append("dataset: ").Append(facts.Dataset).Append('\n');
        if (facts.HasTestSplit)
        {
            sb.Append("split: test\n");
        }

        sb.Append("prompt:\n  system: |\n");
        if (facts.Labels is { } labels)
        {
            sb.Append("    Classify the input into exactly one of the following labels:\n");
            foreach (var label in labels)
            {
                sb.Append("    - ").Append(label).Append('\n');
            }

            sb.Append("\n    Answer with the label only, exactly as written above, and nothing else.\n");
        }
        else
        {
            sb.Append("    Answer with JSON only, and nothing else.\n");
        }

        sb.Append("  user: \"{{input}}\"\n");
        sb.Append("model:\n  provider: ").Append(model?.Provider ?? "offline").Append('\n');
        if (model is not null)
        {
            sb.Append("  name: ").Append(Quote(model.Name)).Append('\n');
            if (model.BaseUrl is { } url)
            {
                sb.Append("  base_url: ").Append(Quote(url)).Append('\n');
            }

            if (model.ApiKeyEnv is { } key)
            {
                sb.Append("  api_key_env: ").Append(key).Append('\n');
            }
        }

        var items = scorers.Count > 0 ? scorers : ["exact-match"];
        sb.Append("scorers: [").Append(string.Join(", ", items.Select(n => requirements.FirstOrDefault(r => r.Scorer == n && r.Type is not null) is { } inline
            ? new System.Text.Json.Nodes.JsonObject { ["name"] = n, ["type"] = inline.Type, ["options"] = inline.Options?.DeepClone() }.ToJsonString(QuoteOptions)
            : n))).Append("]\n");
        var targets = requirements.Where(r => r is { Scorer: not null, Target: not null })
            .GroupBy(r => r.Scorer!).Select(g => $"{g.Key}: {g.Max(r => r.Target!.Value).ToString(CultureInfo.InvariantCulture)}").ToList();
        if (targets.Count > 0)
        {
            sb.Append("targets: { ").Append(string.Join(", ", targets)).Append(" }\n");
        }

        return sb.ToString();
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);

    [GeneratedRegex(@";|(?<=[.!?])\s+")]
    private static partial Regex ClauseSplit();

    [GeneratedRegex(@"\bjson\b", RegexOptions.IgnoreCase)]
    internal static partial Regex JsonWord();

    [GeneratedRegex(@"\bone\s+of\s+the\b[^;,.]*?\b(?:labels?|intents?|categor(?:y|ies)|classes|values|options)\b|\b(?:label|intent|category)\s+set\b|\bvalid\s+(?:label|intent|category|class)\b|\bknown\s+(?:labels?|intents?|categor(?:y|ies)|classes)\b", RegexOptions.IgnoreCase)]
    internal static partial Regex LabelSetWords();

    [GeneratedRegex(@"accura|correct|\bright\b|match|classif|rout|label|intent|categor", RegexOptions.IgnoreCase)]
    internal static partial Regex AccuracyWords();

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex Words();

    internal sealed record DatasetFacts(string Dataset, IReadOnlyList<string>? Labels, bool AllJson, bool HasTestSplit);

    /// <summary>A requirement of a draft: a scorer name (a built-in type, a drafted scorer file, or an inline scorer with <paramref name="Type"/> and <paramref name="Options"/>), and an optional slice.</summary>
    internal sealed record DraftRequirement(string Id, string Text, double? Target, string? Scorer, string? Type = null, System.Text.Json.Nodes.JsonObject? Options = null, IReadOnlyDictionary<string, string>? Slice = null);
}

