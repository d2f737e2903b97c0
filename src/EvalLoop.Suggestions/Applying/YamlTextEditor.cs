using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EvalLoop.Core.Experiments;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// Edits a YAML file the user owns as text, touching only the values it changes: comments, key order, quoting and
/// blank lines elsewhere stay exactly as they were, so the change reads as a small diff in git. Every edit is checked by
/// parsing the result and comparing the changed values; an edit that would not round-trip throws instead of writing.
/// </summary>
public static class YamlTextEditor
{
    private static readonly JsonSerializerOptions QuotedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The prompt an experiment file defines (<c>prompt.system</c>, <c>prompt.user</c>).</summary>
    /// <exception cref="FormatException">The text is not YAML or has no <c>prompt.user</c>.</exception>
    public static PromptDefinition ReadPrompt(string yaml)
    {
        var prompt = PromptNode(Load(yaml));
        return new PromptDefinition(Scalar(prompt, "system"), Scalar(prompt, "user") ?? throw new FormatException("prompt.user is missing"));
    }

    /// <summary>The experiment text with <c>prompt.system</c> and <c>prompt.user</c> set to <paramref name="prompt"/>.</summary>
    public static string ReplacePrompt(string yaml, PromptDefinition prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = SetScalar(yaml, ["prompt", "user"], prompt.User);
        text = prompt.System is null ? RemoveKey(text, ["prompt", "system"]) : SetScalar(text, ["prompt", "system"], prompt.System, insertBefore: "user");
        if (ReadPrompt(text) != prompt)
        {
            throw new InvalidOperationException("The new prompt could not be written into the experiment file without changing it; nothing was written.");
        }

        return text;
    }

    /// <summary>
    /// The text with the scalar at <paramref name="path"/> (keys from the root) set to <paramref name="value"/>: a block
    /// scalar stays a literal block (with the content's own indentation), any other scalar becomes a double-quoted one.
    /// A missing key is inserted in its mapping (before <paramref name="insertBefore"/> when that key exists, else last).
    /// </summary>
    public static string SetScalar(string yaml, IReadOnlyList<string> path, string value, string? insertBefore = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(value);
        var root = Load(yaml);
        var parent = Mapping(root, path.Take(path.Count - 1));
        var key = path[^1];
        var (keyNode, valueNode) = Find(parent, key);
        string result;
        if (keyNode is not null && valueNode is YamlScalarNode scalar)
        {
            var start = (int)scalar.Start.Index;
            var end = (int)scalar.End.Index;
            var keyIndent = (int)keyNode.Start.Column - 1;
            var isBlock = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded;
            var replacement = isBlock && CanBeLiteral(value)
                ? LiteralBlock(value, keyIndent, ContentIndent(yaml, scalar) ?? keyIndent + 2)
                : Quoted(value) + (isBlock ? "\n" : string.Empty);
            result = yaml[..start] + replacement + yaml[end..];
        }
        else if (keyNode is not null)
        {
            throw new InvalidOperationException($"{string.Join('.', path)} is not a single value; it cannot be replaced as text.");
        }
        else
        {
            result = InsertKey(yaml, parent, key, value, insertBefore);
        }

        var check = Mapping(Load(result), path.Take(path.Count - 1));
        if (Scalar(check, key) != value)
        {
            throw new InvalidOperationException($"Writing {string.Join('.', path)} would not round-trip; nothing was written.");
        }

        return result;
    }

    /// <summary>
    /// The text with the value of <paramref name="key"/> in the mapping at <paramref name="path"/> replaced by
    /// <paramref name="flowValue"/> (a YAML value on one line: a number, a quoted string, a flow mapping
    /// <c>{ a: 1 }</c>); the key is added at the end of the mapping when missing. Lines that belong to the old value
    /// (a block mapping under the key) go with it.
    /// </summary>
    public static string SetFlowValue(string yaml, IReadOnlyList<string> path, string key, string flowValue)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = Load(yaml);
        return SetFlowValueIn(yaml, Mapping(root, path), key, flowValue);
    }

    /// <summary>
    /// As <see cref="SetFlowValue"/>, in the block mapping that is item <paramref name="index"/> of the sequence at
    /// <paramref name="sequencePath"/> (e.g. one requirement of a goal file).
    /// </summary>
    public static string SetItemFlowValue(string yaml, IReadOnlyList<string> sequencePath, int index, string key, string flowValue)
    {
        ArgumentNullException.ThrowIfNull(sequencePath);
        var root = Load(yaml);
        var parent = Mapping(root, sequencePath.Take(sequencePath.Count - 1));
        if (Find(parent, sequencePath[^1]).Value is not YamlSequenceNode sequence || index >= sequence.Children.Count
            || sequence.Children[index] is not YamlMappingNode { Style: not YamlDotNet.Core.Events.MappingStyle.Flow } item)
        {
            throw new InvalidOperationException($"{string.Join('.', sequencePath)}[{index}] is not a block mapping; it cannot be edited as text.");
        }

        return SetFlowValueIn(yaml, item, key, flowValue);
    }

    /// <summary>
    /// The text with <paramref name="item"/> (a one-line YAML value) appended to the sequence at <paramref name="path"/>:
    /// inside the brackets of a flow sequence, or as a new <c>- item</c> line after the last item of a block sequence.
    /// </summary>
    public static string AppendItem(string yaml, IReadOnlyList<string> path, string item)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(item);
        var root = Load(yaml);
        var parent = Mapping(root, path.Take(path.Count - 1));
        if (Find(parent, path[^1]).Value is not YamlSequenceNode sequence)
        {
            throw new InvalidOperationException($"{string.Join('.', path)} is not a list.");
        }

        string result;
        if (sequence.Style == YamlDotNet.Core.Events.SequenceStyle.Flow)
        {
            var close = ClosingBracket(yaml, (int)sequence.Start.Index);
            if (close < 0)
            {
                throw new InvalidOperationException($"{string.Join('.', path)}: the end of the list was not found.");
            }

            var before = yaml[..close].TrimEnd();
            result = before + (sequence.Children.Count > 0 ? ", " : string.Empty) + item + yaml[close..];
        }
        else
        {
            var lines = SplitLines(yaml);
            var last = sequence.Children[^1];
            var lastLine = (int)last.Start.Line - 1;
            var dash = lines[lastLine].IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 || dash >= (int)last.Start.Column - 1)
            {
                throw new InvalidOperationException($"{string.Join('.', path)}: its last item does not start a line; it cannot be extended as text.");
            }

            var end = LastLineOfValue(lines, lastLine, dash);
            lines.Insert(end + 1, $"{new string(' ', dash)}- {item}");
            result = string.Join('\n', lines);
        }

        var check = Mapping(Load(result), path.Take(path.Count - 1));
        if (Find(check, path[^1]).Value is not YamlSequenceNode after || after.Children.Count != sequence.Children.Count + 1)
        {
            throw new InvalidOperationException($"Appending to {string.Join('.', path)} would not round-trip; nothing was written.");
        }

        return result;
    }

    /// <summary>The index of the <c>]</c> that closes the flow sequence opening at <paramref name="open"/>, or -1.</summary>
    private static int ClosingBracket(string yaml, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < yaml.Length; i++)
        {
            var c = yaml[i];
            if (quote is { } q)
            {
                if (c == '\\' && q == '"')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    depth--;
                    if (depth == 0)
                    {
                        return c == ']' ? i : -1;
                    }

                    break;
            }
        }

        return -1;
    }

    private static string SetFlowValueIn(string yaml, YamlMappingNode mapping, string key, string flowValue)
    {
        var (keyNode, _) = Find(mapping, key);
        var lines = SplitLines(yaml);
        if (keyNode is not null)
        {
            var keyLine = (int)keyNode.Start.Line - 1;
            var indent = (int)keyNode.Start.Column - 1;
            var last = LastLineOfValue(lines, keyLine, indent);
            var prefix = lines[keyLine][..indent];
            lines.RemoveRange(keyLine, last - keyLine + 1);
            lines.Insert(keyLine, $"{prefix}{key}: {flowValue}");
        }
        else
        {
            var (insertAt, indent) = EndOfMapping(lines, mapping);
            lines.Insert(insertAt, $"{new string(' ', indent)}{key}: {flowValue}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The text with item <paramref name="index"/> of the sequence at <paramref name="path"/>, a plain scalar such as a
    /// scorer name, replaced by <paramref name="flowMapping"/> (e.g. <c>{ name: x, type: exact-match }</c>).
    /// </summary>
    public static string ReplaceScalarItem(string yaml, IReadOnlyList<string> path, int index, string flowMapping)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = Load(yaml);
        var parent = Mapping(root, path.Take(path.Count - 1));
        if (Find(parent, path[^1]).Value is not YamlSequenceNode sequence || index >= sequence.Children.Count || sequence.Children[index] is not YamlScalarNode item)
        {
            throw new InvalidOperationException($"{string.Join('.', path)}[{index}] is not a single value.");
        }

        return yaml[..(int)item.Start.Index] + flowMapping + yaml[(int)item.End.Index..];
    }

    /// <summary>A one-line YAML value for <paramref name="value"/> (numbers plain, strings double-quoted, objects as flow mappings).</summary>
    public static string Flow(System.Text.Json.Nodes.JsonNode? value) => value switch
    {
        null => "null",
        System.Text.Json.Nodes.JsonObject o => "{ " + string.Join(", ", o.Select(kv => $"{kv.Key}: {Flow(kv.Value)}")) + " }",
        System.Text.Json.Nodes.JsonArray a => "[" + string.Join(", ", a.Select(Flow)) + "]",
        System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == JsonValueKind.String => Quoted(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    public static string Number(double value) => value.ToString("0.###############", CultureInfo.InvariantCulture);

    internal static YamlMappingNode Load(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"invalid YAML: {ex.Message}", ex);
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new FormatException("the file is not a YAML mapping");
    }

    private static YamlMappingNode PromptNode(YamlMappingNode root) =>
        Find(root, "prompt").Value as YamlMappingNode ?? throw new FormatException("prompt is missing or not a mapping");

    private static YamlMappingNode Mapping(YamlMappingNode root, IEnumerable<string> path)
    {
        var current = root;
        foreach (var key in path)
        {
            current = Find(current, key).Value as YamlMappingNode ?? throw new FormatException($"{key} is missing or not a mapping");
        }

        return current;
    }

    private static (YamlScalarNode? Key, YamlNode? Value) Find(YamlMappingNode mapping, string key)
    {
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return (s, v);
            }
        }

        return (null, null);
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        Find(mapping, key).Value is YamlScalarNode { Value: var v } s && !(s.Style == ScalarStyle.Plain && v is null or "~" or "null") ? v ?? string.Empty : null;

    private static string RemoveKey(string yaml, IReadOnlyList<string> path)
    {
        var parent = Mapping(Load(yaml), path.Take(path.Count - 1));
        var (keyNode, _) = Find(parent, path[^1]);
        if (keyNode is null)
        {
            return yaml;
        }

        var lines = SplitLines(yaml);
        var keyLine = (int)keyNode.Start.Line - 1;
        var last = LastLineOfValue(lines, keyLine, (int)keyNode.Start.Column - 1);
        lines.RemoveRange(keyLine, last - keyLine + 1);
        return string.Join('\n', lines);
    }

    private static string InsertKey(string yaml, YamlMappingNode parent, string key, string value, string? insertBefore)
    {
        var lines = SplitLines(yaml);
        var before = insertBefore is null ? null : Find(parent, insertBefore).Key;
        int at, indent;
        if (before is not null)
        {
            at = (int)before.Start.Line - 1;
            indent = (int)before.Start.Column - 1;
        }
        else
        {
            (at, indent) = EndOfMapping(lines, parent);
        }

        var rendered = value.Contains('\n', StringComparison.Ordinal) && CanBeLiteral(value)
            ? LiteralBlock(value, indent, indent + 2).TrimEnd('\n')
            : Quoted(value);
        lines.InsertRange(at, SplitLines($"{new string(' ', indent)}{key}: {rendered}"));
        return string.Join('\n', lines);
    }

    /// <summary>Where a new last key of <paramref name="mapping"/> goes, and its indentation.</summary>
    private static (int Line, int Indent) EndOfMapping(List<string> lines, YamlMappingNode mapping)
    {
        var lastKey = mapping.Children.Keys.LastOrDefault() ?? throw new InvalidOperationException("cannot add a key to an empty mapping as text");
        var keyLine = (int)lastKey.Start.Line - 1;
        var indent = (int)lastKey.Start.Column - 1;
        var last = LastLineOfValue(lines, keyLine, indent);
        return (last + 1, indent);
    }

    /// <summary>The last line of the value of the key on <paramref name="keyLine"/>: every following line that is blank or more indented, trailing blank and comment lines excluded.</summary>
    private static int LastLineOfValue(List<string> lines, int keyLine, int keyIndent)
    {
        var last = keyLine;
        for (var i = keyLine + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (line.Length - trimmed.Length <= keyIndent)
            {
                break;
            }

            last = i;
        }

        return last;
    }

    private static int? ContentIndent(string yaml, YamlScalarNode block)
    {
        var lines = SplitLines(yaml);
        for (var i = (int)block.Start.Line; i < lines.Count && i < (int)block.End.Line; i++)
        {
            var trimmed = lines[i].TrimStart(' ');
            if (trimmed.Length > 0)
            {
                return lines[i].Length - trimmed.Length;
            }
        }

        return null;
    }

    private static bool CanBeLiteral(string value) =>
        value.Length > 0 && !value.Any(c => char.IsControl(c) && c is not '\n' and not '\t') && !value.Contains('\uFEFF', StringComparison.Ordinal)
        && value.Split('\n').All(line => !line.StartsWith('\t'));

    /// <summary><c>|</c> (chomping and indentation indicators as needed), a newline, the indented lines, a final newline.</summary>
    private static string LiteralBlock(string value, int keyIndent, int contentIndent)
    {
        var body = value.EndsWith('\n') ? value[..^1] : value;
        var chomp = !value.EndsWith('\n') ? "-" : value.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : string.Empty;
        var lines = body.Split('\n');
        var firstContent = lines.FirstOrDefault(l => l.Length > 0) ?? string.Empty;
        var indicator = firstContent.StartsWith(' ') ? (contentIndent - keyIndent).ToString(CultureInfo.InvariantCulture) : string.Empty;
        var text = new StringBuilder("|").Append(indicator).Append(chomp).Append('\n');
        var pad = new string(' ', contentIndent);
        foreach (var line in lines)
        {
            text.Append(line.Length == 0 ? string.Empty : pad + line).Append('\n');
        }

        return text.ToString();
    }

    private static string Quoted(string value) => JsonSerializer.Serialize(value, QuotedJson);

    private static List<string> SplitLines(string text) => [.. text.Split('\n')];
}
