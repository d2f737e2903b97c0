using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Core.Workspace;

/// <summary>
/// Strict, position-aware reading of a YAML file the user owns: unknown keys, wrong types and missing required keys
/// become <see cref="WorkspaceFileException"/>s naming the file, line and key path.
/// </summary>
internal sealed class YamlFile
{
    private YamlFile(string path, YamlMappingNode root, string text)
    {
        Path = path;
        Root = root;
        Lines = text.Split('\n');
    }

    /// <summary>The source lines, for locating problems inside multi-line values.</summary>
    public string[] Lines { get; }

    public string Path { get; }

    public YamlMappingNode Root { get; }

    public static async Task<YamlFile> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new WorkspaceFileException(path, null, null, "file not found");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(path, text);
    }

    public static YamlFile Parse(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new WorkspaceFileException(path, (int)ex.Start.Line, null, $"invalid YAML: {Unwrap(ex).Message}", ex);
        }

        if (stream.Documents.Count == 0)
        {
            throw new WorkspaceFileException(path, null, null, "the file is empty");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new WorkspaceFileException(path, Line(stream.Documents[0].RootNode), null, "the top level must be a mapping of keys to values");
        }

        return new YamlFile(path, root, text);
    }

    public WorkspaceFileException Error(YamlNode node, string? field, string problem) => new(Path, Line(node), field, problem);

    public static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>Throws for any key not in <paramref name="allowed"/>, listing the allowed keys.</summary>
    public void RejectUnknownKeys(YamlMappingNode mapping, string prefix, params string[] allowed)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = key is YamlScalarNode s ? s.Value ?? string.Empty : key.ToString();
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw Error(key, prefix + name, $"unknown key (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static bool IsNull(YamlNode? node) =>
        node is null || (node is YamlScalarNode { Style: ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null"));

    public string? GetString(YamlMappingNode mapping, string key, string field, bool required = false)
    {
        var node = Get(mapping, key);
        if (IsNull(node))
        {
            return required ? throw Error(node ?? mapping, field, "missing required key") : null;
        }

        if (node is not YamlScalarNode scalar)
        {
            throw Error(node!, field, "must be a text value");
        }

        var value = scalar.Value ?? string.Empty;
        if (required && string.IsNullOrWhiteSpace(value))
        {
            throw Error(node!, field, "must not be empty");
        }

        return value;
    }

    public double? GetDouble(YamlMappingNode mapping, string key, string field, double? min = null, double? max = null)
    {
        var node = Get(mapping, key);
        if (IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar ||
            !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(node!, field, $"must be a number, found '{Describe(node!)}'");
        }

        if ((min is { } lo && value < lo) || (max is { } hi && value > hi))
        {
            throw Error(node, field, $"must be between {min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"} and {max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}, found {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public int? GetInt(YamlMappingNode mapping, string key, string field, int min, int max)
    {
        var node = Get(mapping, key);
        if (IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar ||
            !int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node!, field, $"must be a whole number, found '{Describe(node!)}'");
        }

        if (value < min || value > max)
        {
            throw Error(node, field, $"must be between {min} and {max}, found {value}");
        }

        return value;
    }

    public bool? GetBool(YamlMappingNode mapping, string key, string field)
    {
        var node = Get(mapping, key);
        if (IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode { Value: "true" or "True" or "yes" } ? true
            : node is YamlScalarNode { Value: "false" or "False" or "no" } ? false
            : throw Error(node!, field, $"must be true or false, found '{Describe(node!)}'");
    }

    public YamlMappingNode? GetMapping(YamlMappingNode mapping, string key, string field, bool required = false)
    {
        var node = Get(mapping, key);
        if (IsNull(node))
        {
            return required ? throw Error(node ?? mapping, field, "missing required key") : null;
        }

        return node as YamlMappingNode ?? throw Error(node!, field, "must be a mapping of keys to values");
    }

    /// <summary>Converts a YAML node to JSON, inferring booleans and numbers from plain scalars.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode s when IsNull(s) => null,
        YamlScalarNode { Style: ScalarStyle.Plain } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        YamlScalarNode { Style: ScalarStyle.Plain } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value ?? string.Empty),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, ToJson(kv.Value)))),
        _ => null,
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? string.Empty,
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.ToString(),
    };

    private static Exception Unwrap(Exception ex) => ex.InnerException is YamlException inner ? Unwrap(inner) : ex;
}
