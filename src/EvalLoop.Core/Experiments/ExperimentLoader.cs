using System.Text.Json;
using System.Text.RegularExpressions;
using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Core.Experiments;

/// <summary>
/// Loads and validates experiment YAML files (and the scorer files they name). Every problem is a
/// <see cref="WorkspaceFileException"/> naming the file, the line and the key; a loaded experiment is ready to run.
/// </summary>
public sealed partial class ExperimentLoader(WorkspaceLayout workspace, IScorerFactory scorers)
{
    private static readonly string[] TopLevelKeys =
        ["name", "description", "goal", "dataset", "split", "limit", "prompt", "model", "scorers", "targets", "concurrency", "trials", "schedule", "on_overlap", "analyze"];

    private static readonly string[] ModelKeys =
        ["provider", "name", "base_url", "api_key_env", "temperature", "max_tokens", "timeout_seconds", "max_retries", "requests_per_minute", "tokens_per_minute", "price", "api_version"];

    private static readonly string[] ScorerKeys = ["name", "type", "threshold", "description", "options", "judge"];

    /// <summary>Resolves a path or a bare name (<c>experiments/NAME.yaml</c>) and loads it.</summary>
    public async Task<ExperimentDefinition> LoadAsync(string pathOrName, CancellationToken cancellationToken = default)
    {
        var path = ResolvePath(pathOrName);
        var file = await YamlFile.LoadAsync(path, cancellationToken);
        return await ParseAsync(file, cancellationToken);
    }

    public string ResolvePath(string pathOrName)
    {
        if (File.Exists(pathOrName) || pathOrName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || pathOrName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return Path.GetFullPath(pathOrName);
        }

        var yaml = Path.Combine(workspace.ExperimentsDirectory, pathOrName + ".yaml");
        return File.Exists(yaml) ? yaml : Path.Combine(workspace.ExperimentsDirectory, pathOrName + ".yml");
    }

    private bool IsInExperimentsDirectory(string path) =>
        string.Equals(
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.GetDirectoryName(path) ?? string.Empty)),
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace.ExperimentsDirectory)),
            StringComparison.Ordinal);

    private async Task<ExperimentDefinition> ParseAsync(YamlFile file, CancellationToken cancellationToken)
    {
        var root = file.Root;
        file.RejectUnknownKeys(root, string.Empty, TopLevelKeys);

        var name = file.GetString(root, "name", "name", required: true)!;
        if (!NamePattern().IsMatch(name))
        {
            throw file.Error(YamlFile.Get(root, "name")!, "name", "use letters, digits, '-', '_' and '.' only");
        }

        // The service, goals and approvals find an experiment by name as experiments/NAME.yaml, so inside that folder the
        // name is the file name (a file elsewhere, run by its path, may be named freely).
        var fileName = Path.GetFileNameWithoutExtension(file.Path);
        if (IsInExperimentsDirectory(file.Path) && !fileName.StartsWith('.') && fileName != name)
        {
            throw file.Error(YamlFile.Get(root, "name")!, "name", $"must match the file name '{fileName}' (experiments/{fileName}{Path.GetExtension(file.Path)})");
        }

        var dataset = file.GetString(root, "dataset", "dataset", required: true)!;
        var datasetPath = workspace.ResolveDatasetPath(dataset, Path.GetDirectoryName(file.Path) is { } dir && dataset.StartsWith('.') ? dir : null);
        if (!File.Exists(datasetPath))
        {
            throw file.Error(YamlFile.Get(root, "dataset")!, "dataset", $"dataset not found: {datasetPath}");
        }

        var split = file.GetString(root, "split", "split");
        if (split is not null && !Datasets.JsonlDatasetReader.Splits.Contains(split))
        {
            throw file.Error(YamlFile.Get(root, "split")!, "split", $"must be one of train, dev, test; found '{split}'");
        }

        var prompt = ParsePrompt(file);
        var model = ParseModel(file);
        var scorerDefinitions = await ParseScorersAsync(file, DefaultJudge(model), cancellationToken);
        var targets = ParseTargets(file, scorerDefinitions);
        var schedule = file.GetString(root, "schedule", "schedule");
        var goal = file.GetString(root, "goal", "goal");
        if (Goals.GoalReference.GoalName(goal) is { } goalName && !File.Exists(Path.Combine(workspace.ExperimentsDirectory, Goals.GoalLoader.DirectoryName, goalName + ".yaml")))
        {
            // A single name is a goal file reference (text with a space is a free-text goal): a typo must not pass as text.
            throw file.Error(YamlFile.Get(root, "goal")!, "goal", $"no goal file experiments/{Goals.GoalLoader.DirectoryName}/{goalName}.yaml (a one-word goal names a goal file; write a sentence for a free-text goal)");
        }
        if (schedule is not null && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is < 6 or > 7)
        {
            throw file.Error(YamlFile.Get(root, "schedule")!, "schedule", $"must be a Quartz cron expression with 6 or 7 fields (seconds first), e.g. \"0 0 2 * * ?\"; found '{schedule}'");
        }

        var onOverlap = file.GetString(root, "on_overlap", "on_overlap");
        if (onOverlap is not null && onOverlap is not ("wait" or "skip"))
        {
            throw file.Error(YamlFile.Get(root, "on_overlap")!, "on_overlap", $"must be wait or skip; found '{onOverlap}'");
        }

        return new ExperimentDefinition
        {
            Name = name,
            Description = file.GetString(root, "description", "description"),
            Goal = goal,
            Dataset = dataset.StartsWith('.') ? datasetPath : dataset,
            Split = split,
            Limit = file.GetInt(root, "limit", "limit", 1, int.MaxValue),
            Prompt = prompt,
            Model = model,
            Scorers = scorerDefinitions,
            Targets = targets,
            Concurrency = file.GetInt(root, "concurrency", "concurrency", 1, 256) ?? 8,
            Trials = file.GetInt(root, "trials", "trials", 1, 100) ?? 1,
            Schedule = schedule,
            OnOverlap = onOverlap,
            Analyze = file.GetBool(root, "analyze", "analyze") ?? false,
            SourcePath = file.Path,
        };
    }

    private static PromptDefinition ParsePrompt(YamlFile file)
    {
        var prompt = file.GetMapping(file.Root, "prompt", "prompt", required: true)!;
        file.RejectUnknownKeys(prompt, "prompt.", "system", "user");
        var system = file.GetString(prompt, "system", "prompt.system");
        var user = file.GetString(prompt, "user", "prompt.user", required: true)!;
        Validate(file, prompt, "system", system);
        Validate(file, prompt, "user", user);
        return new PromptDefinition(system, user);

        static void Validate(YamlFile file, YamlMappingNode prompt, string key, string? text)
        {
            if (text is null)
            {
                return;
            }

            try
            {
                PromptTemplate.Parse(text);
            }
            catch (PromptTemplateException ex)
            {
                var node = YamlFile.Get(prompt, key)!;
                throw new WorkspaceFileException(file.Path, SourceLine(file, node, ex), "prompt." + key, ex.Message, ex);
            }
        }
    }

    // Only a literal block keeps the source's line breaks; folded and quoted scalars join lines, so find the tag in the source.
    private static int SourceLine(YamlFile file, YamlNode node, PromptTemplateException ex)
    {
        var start = YamlFile.Line(node);
        if (node is YamlScalarNode { Style: ScalarStyle.Literal })
        {
            return start + 1 + (ex.LineOffset ?? 0);
        }

        if (ex.Tag is { } tag)
        {
            for (var line = start; line <= Math.Min((int)node.End.Line, file.Lines.Length); line++)
            {
                if (file.Lines[line - 1].Contains(tag, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        return start;
    }

    private static ModelSettings ParseModel(YamlFile file) =>
        ParseModel(file, file.GetMapping(file.Root, "model", "model", required: true)!, "model.");

    /// <summary>Parses a model mapping (an experiment's <c>model:</c>, a scorer's <c>judge:</c>); <paramref name="prefix"/> names its fields.</summary>
    private static ModelSettings ParseModel(YamlFile file, YamlMappingNode model, string prefix)
    {
        file.RejectUnknownKeys(model, prefix, ModelKeys);
        var provider = file.GetString(model, "provider", prefix + "provider", required: true)!;
        if (!ModelProviders.All.Contains(provider))
        {
            throw file.Error(YamlFile.Get(model, "provider")!, prefix + "provider", $"unknown provider '{provider}' (use one of: {string.Join(", ", ModelProviders.All)})");
        }

        var baseUrl = file.GetString(model, "base_url", prefix + "base_url");
        if (baseUrl is not null && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw file.Error(YamlFile.Get(model, "base_url")!, prefix + "base_url", $"must be an absolute http(s) URL, found '{baseUrl}'");
        }

        ModelPrice? price = null;
        if (file.GetMapping(model, "price", prefix + "price") is { } priceNode)
        {
            file.RejectUnknownKeys(priceNode, prefix + "price.", "input", "output");
            price = new ModelPrice(
                (decimal)(file.GetDouble(priceNode, "input", prefix + "price.input", 0) ?? 0),
                (decimal)(file.GetDouble(priceNode, "output", prefix + "price.output", 0) ?? 0));
        }

        return new ModelSettings
        {
            Provider = provider,
            Name = file.GetString(model, "name", prefix + "name", required: provider != ModelProviders.Offline) ?? "offline-knn-v1",
            BaseUrl = baseUrl,
            ApiKeyEnv = file.GetString(model, "api_key_env", prefix + "api_key_env"),
            Temperature = file.GetDouble(model, "temperature", prefix + "temperature", 0, 2),
            MaxTokens = file.GetInt(model, "max_tokens", prefix + "max_tokens", 1, 1_000_000),
            Timeout = TimeSpan.FromSeconds(file.GetDouble(model, "timeout_seconds", prefix + "timeout_seconds", 0.01, 3600) ?? 60),
            MaxRetries = file.GetInt(model, "max_retries", prefix + "max_retries", 0, 20) ?? 4,
            RequestsPerMinute = file.GetInt(model, "requests_per_minute", prefix + "requests_per_minute", 1, 1_000_000),
            TokensPerMinute = file.GetInt(model, "tokens_per_minute", prefix + "tokens_per_minute", 1, 100_000_000),
            Price = price,
            ApiVersion = file.GetString(model, "api_version", prefix + "api_version"),
        };
    }

    /// <summary>
    /// The judge a model-graded scorer without its own <c>judge:</c> uses: the experiment's model when it is a real
    /// provider (at temperature 0 and without the task's max_tokens, which is sized for answers, not for reasoning);
    /// none for the offline model, which cannot grade free text.
    /// </summary>
    private static ModelSettings? DefaultJudge(ModelSettings model) =>
        model.Provider == ModelProviders.Offline ? null : model with { Temperature = 0, MaxTokens = null };

    /// <summary>
    /// Loads one scorer on its own (for <c>evalloop score</c>): a file path, or a name in <c>scorers/</c>. Its judge is
    /// the file's <c>judge:</c> mapping; there is no experiment model to fall back on.
    /// </summary>
    public async Task<ScorerDefinition> LoadScorerAsync(string pathOrName, CancellationToken cancellationToken = default)
    {
        var path = File.Exists(pathOrName) || pathOrName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || pathOrName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(pathOrName)
            : Path.Combine(workspace.ScorersDirectory, pathOrName + ".yaml");
        var file = await YamlFile.LoadAsync(path, cancellationToken);
        return ParseScorer(file, file.Root, string.Empty, Path.GetFileNameWithoutExtension(path), defaultJudge: null);
    }

    private async Task<IReadOnlyList<ScorerDefinition>> ParseScorersAsync(YamlFile file, ModelSettings? defaultJudge, CancellationToken cancellationToken)
    {
        var node = YamlFile.Get(file.Root, "scorers");
        if (YamlFile.IsNull(node) || node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw file.Error(node ?? file.Root, "scorers", "must be a non-empty list of scorer types or scorer file names");
        }

        var definitions = new List<ScorerDefinition>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var field = $"scorers[{i}]";
            ScorerDefinition definition = item switch
            {
                YamlScalarNode { Value: { } reference } => await ResolveScorerReferenceAsync(file, item, field, reference, defaultJudge, cancellationToken),
                YamlMappingNode mapping => ParseScorer(file, mapping, field, null, defaultJudge),
                _ => throw file.Error(item, field, "must be a scorer type, a scorer file name, or a mapping with 'type'"),
            };

            if (definitions.Any(d => d.Name == definition.Name))
            {
                throw file.Error(item, field, $"duplicate scorer name '{definition.Name}'; give one of them a 'name'");
            }

            definitions.Add(definition);
        }

        return definitions;
    }

    private async Task<ScorerDefinition> ResolveScorerReferenceAsync(YamlFile file, YamlNode node, string field, string reference, ModelSettings? defaultJudge, CancellationToken cancellationToken)
    {
        var scorerPath = Path.Combine(workspace.ScorersDirectory, reference + ".yaml");
        if (File.Exists(scorerPath))
        {
            var scorerFile = await YamlFile.LoadAsync(scorerPath, cancellationToken);
            return ParseScorer(scorerFile, scorerFile.Root, string.Empty, reference, defaultJudge);
        }

        if (scorers.KnownTypes.Contains(reference))
        {
            return Create(file, node, field, new ScorerDefinition(reference, reference, null, null, file.Path, YamlFile.Line(node), defaultJudge));
        }

        throw file.Error(node, field, $"unknown scorer '{reference}': not a built-in type ({string.Join(", ", scorers.KnownTypes.Order(StringComparer.Ordinal))}) and no file {scorerPath}");
    }

    private ScorerDefinition ParseScorer(YamlFile file, YamlMappingNode mapping, string field, string? defaultName, ModelSettings? defaultJudge)
    {
        var prefix = field.Length == 0 ? string.Empty : field + ".";
        file.RejectUnknownKeys(mapping, prefix, ScorerKeys);
        var type = file.GetString(mapping, "type", prefix + "type", required: true)!;
        if (!scorers.KnownTypes.Contains(type))
        {
            throw file.Error(YamlFile.Get(mapping, "type")!, prefix + "type", $"unknown scorer type '{type}' (built-in: {string.Join(", ", scorers.KnownTypes.Order(StringComparer.Ordinal))})");
        }

        var name = file.GetString(mapping, "name", prefix + "name") ?? defaultName ?? type;
        var threshold = file.GetDouble(mapping, "threshold", prefix + "threshold", 0, 1);
        JsonElement? options = null;
        if (YamlFile.Get(mapping, "options") is { } optionsNode && !YamlFile.IsNull(optionsNode))
        {
            if (optionsNode is not YamlMappingNode)
            {
                throw file.Error(optionsNode, prefix + "options", "must be a mapping of option names to values");
            }

            options = JsonSerializer.SerializeToElement(YamlFile.ToJson(optionsNode));
        }

        var judge = file.GetMapping(mapping, "judge", prefix + "judge") is { } judgeNode
            ? ParseModel(file, judgeNode, prefix + "judge.")
            : defaultJudge;
        return Create(file, mapping, field, new ScorerDefinition(name, type, threshold, options, file.Path, YamlFile.Line(mapping), judge));
    }

    private ScorerDefinition Create(YamlFile file, YamlNode node, string field, ScorerDefinition definition)
    {
        try
        {
            scorers.Create(definition);
        }
        catch (WorkspaceFileException)
        {
            throw;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw file.Error(node, field.Length == 0 ? null : field, ex.Message);
        }

        return definition;
    }

    private static Dictionary<string, double> ParseTargets(YamlFile file, IReadOnlyList<ScorerDefinition> definitions)
    {
        var targets = new Dictionary<string, double>(StringComparer.Ordinal);
        if (file.GetMapping(file.Root, "targets", "targets") is not { } mapping)
        {
            return targets;
        }

        foreach (var (key, _) in mapping.Children)
        {
            var scorer = ((YamlScalarNode)key).Value ?? string.Empty;
            if (definitions.All(d => d.Name != scorer))
            {
                throw file.Error(key, "targets." + scorer, $"no scorer named '{scorer}' in this experiment (scorers: {string.Join(", ", definitions.Select(d => d.Name))})");
            }

            targets[scorer] = file.GetDouble(mapping, scorer, "targets." + scorer, 0, 1)!.Value;
        }

        return targets;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.\\-]*$")]
    private static partial Regex NamePattern();
}
