using EvalLoop.Core.Workspace;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Core.Goals;

/// <summary>
/// Loads and validates goal files (<c>experiments/goals/NAME.yaml</c>). Every problem is a
/// <see cref="WorkspaceFileException"/> naming the file, the line and the key.
/// </summary>
/// <remarks>
/// Coverage names experiments and scorers; whether they exist is checked when the goal is shown (they may be written
/// after the goal), not here, so a goal file loads on its own.
/// </remarks>
public sealed class GoalLoader(WorkspaceLayout workspace) : IGoalSource
{
    /// <summary>The file name every goal file has after its directory.</summary>
    public const string DirectoryName = "goals";

    private static readonly string[] TopLevelKeys = ["name", "description", "experiments", "requirements"];
    private static readonly string[] RequirementKeys = ["id", "text", "target", "covered_by"];
    private static readonly string[] CoverageKeys = ["experiment", "scorer", "slice"];

    public string GoalsDirectory => Path.Combine(workspace.ExperimentsDirectory, DirectoryName);

    /// <summary>The file of goal <paramref name="name"/> (which need not exist).</summary>
    public string PathOf(string name) => Path.Combine(GoalsDirectory, name + ".yaml");

    /// <summary>Resolves a path or a bare name and loads it.</summary>
    public async Task<GoalDefinition> LoadAsync(string pathOrName, CancellationToken cancellationToken = default)
    {
        var path = pathOrName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || pathOrName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(pathOrName)
            : PathOf(pathOrName);
        var file = await YamlFile.LoadAsync(path, cancellationToken);
        return Parse(file);
    }

    /// <summary>Loads goal <paramref name="name"/> from <c>experiments/goals/NAME.yaml</c>, or null when the name is not a goal name or there is no such file.</summary>
    public async Task<GoalDefinition?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!GoalReference.IsValidName(name) || !File.Exists(PathOf(name)))
        {
            return null;
        }

        return await LoadAsync(name, cancellationToken);
    }

    /// <summary>Every goal file's name, in order.</summary>
    public IReadOnlyList<string> List() => Directory.Exists(GoalsDirectory)
        ? Directory.GetFiles(GoalsDirectory, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Parses goal YAML text as if it were the file <paramref name="path"/> (to validate a draft before writing it).</summary>
    public static GoalDefinition Parse(string path, string text) => Parse(YamlFile.Parse(path, text));

    private static GoalDefinition Parse(YamlFile file)
    {
        var root = file.Root;
        file.RejectUnknownKeys(root, string.Empty, TopLevelKeys);
        var name = file.GetString(root, "name", "name", required: true)!;
        if (!GoalReference.IsValidName(name))
        {
            throw file.Error(YamlFile.Get(root, "name")!, "name", "use letters, digits, '-', '_' and '.' only");
        }

        var fileName = Path.GetFileNameWithoutExtension(file.Path);
        if (!fileName.StartsWith('.') && fileName != name)
        {
            throw file.Error(YamlFile.Get(root, "name")!, "name", $"must match the file name '{fileName}'");
        }

        var description = file.GetString(root, "description", "description", required: true)!;
        var experiments = Names(file, root, "experiments");
        var requirementsNode = YamlFile.Get(root, "requirements");
        if (requirementsNode is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw file.Error(requirementsNode ?? root, "requirements", "must be a non-empty list of requirements (id, text, target?, covered_by?)");
        }

        var requirements = new List<GoalRequirement>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"requirements[{i}]";
            if (list.Children[i] is not YamlMappingNode item)
            {
                throw file.Error(list.Children[i], field, "must be a mapping with id and text");
            }

            file.RejectUnknownKeys(item, field + ".", RequirementKeys);
            var id = file.GetString(item, "id", field + ".id", required: true)!;
            if (!GoalReference.IsValidName(id))
            {
                throw file.Error(YamlFile.Get(item, "id")!, field + ".id", "use letters, digits, '-', '_' and '.' only");
            }

            if (requirements.Any(r => r.Id == id))
            {
                throw file.Error(YamlFile.Get(item, "id")!, field + ".id", $"duplicate requirement id '{id}'");
            }

            var text = file.GetString(item, "text", field + ".text", required: true)!;
            var target = file.GetDouble(item, "target", field + ".target", 0, 1);
            var coverage = Coverage(file, item, field, experiments);
            requirements.Add(new GoalRequirement(id, text, target, coverage, YamlFile.Line(item)));
        }

        return new GoalDefinition { Name = name, Description = description, Experiments = experiments, Requirements = requirements, SourcePath = file.Path };
    }

    private static List<GoalCoverage> Coverage(YamlFile file, YamlMappingNode requirement, string field, IReadOnlyList<string> experiments)
    {
        var node = YamlFile.Get(requirement, "covered_by");
        var result = new List<GoalCoverage>();
        if (YamlFile.IsNull(node))
        {
            return result;
        }

        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node!, field + ".covered_by", "must be a list of { experiment, scorer, slice? }");
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var prefix = $"{field}.covered_by[{i}]";
            if (list.Children[i] is not YamlMappingNode item)
            {
                throw file.Error(list.Children[i], prefix, "must be a mapping { experiment, scorer, slice? }");
            }

            file.RejectUnknownKeys(item, prefix + ".", CoverageKeys);
            var experiment = file.GetString(item, "experiment", prefix + ".experiment", required: true)!;
            if (!experiments.Contains(experiment, StringComparer.Ordinal))
            {
                throw file.Error(YamlFile.Get(item, "experiment")!, prefix + ".experiment", $"'{experiment}' is not in the goal's experiments ({string.Join(", ", experiments)})");
            }

            var scorer = file.GetString(item, "scorer", prefix + ".scorer", required: true)!;
            Dictionary<string, string>? slice = null;
            if (file.GetMapping(item, "slice", prefix + ".slice") is { } sliceNode)
            {
                slice = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in sliceNode.Children)
                {
                    var k = ((YamlScalarNode)key).Value ?? string.Empty;
                    slice[k] = file.GetString(sliceNode, k, $"{prefix}.slice.{k}", required: true)!;
                }
            }

            result.Add(new GoalCoverage(experiment, scorer, slice));
        }

        return result;
    }

    private static List<string> Names(YamlFile file, YamlMappingNode root, string key)
    {
        var node = YamlFile.Get(root, key);
        if (YamlFile.IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node!, key, "must be a list of experiment names");
        }

        var names = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlScalarNode { Value: { Length: > 0 } value } || !GoalReference.IsValidName(value))
            {
                throw file.Error(list.Children[i], $"{key}[{i}]", "must be an experiment name");
            }

            names.Add(value);
        }

        return names;
    }
}
