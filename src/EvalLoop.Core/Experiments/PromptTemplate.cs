using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvalLoop.Core.Datasets;

namespace EvalLoop.Core.Experiments;

/// <summary>
/// A <c>{{variable}}</c> template. Variables: <c>input</c>, <c>input.field</c> (nested: <c>input.a.b</c>),
/// <c>expected</c>, <c>expected.field</c>, <c>metadata.key</c> and <c>id</c>. Strings are inserted as they are;
/// other JSON values as compact JSON. <c>\{{</c> writes a literal <c>{{</c>.
/// </summary>
public sealed partial class PromptTemplate
{
    private static readonly string[] Roots = ["input", "expected", "metadata", "id"];
    private readonly List<Segment> _segments;

    private PromptTemplate(string text, List<Segment> segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>The variables used, e.g. <c>input</c>, <c>metadata.topic</c>.</summary>
    public IEnumerable<string> Variables => _segments.Where(s => s.Path is not null).Select(s => string.Join('.', s.Path!));

    /// <summary>
    /// Parses <paramref name="text"/>. Throws <see cref="PromptTemplateException"/> with the 0-based line offset within
    /// the text for an unclosed tag or an unknown variable.
    /// </summary>
    public static PromptTemplate Parse(string text)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '\\' && i + 2 < text.Length && text[i + 1] == '{' && text[i + 2] == '{')
            {
                literal.Append("{{");
                i += 3;
                continue;
            }

            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf("}}", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new PromptTemplateException(LineOf(text, i), "unclosed '{{' (every {{ needs a matching }})", TagAt(text, i, text.Length));
                }

                var name = text[(i + 2)..close].Trim();
                if (!VariablePattern().IsMatch(name))
                {
                    throw new PromptTemplateException(LineOf(text, i), $"'{{{{{name}}}}}' is not a valid variable; use {{{{input}}}}, {{{{input.field}}}}, {{{{expected}}}}, {{{{metadata.key}}}} or {{{{id}}}}", TagAt(text, i, close + 2));
                }

                var path = name.Split('.');
                if (!Roots.Contains(path[0]) || (path[0] == "metadata" && path.Length < 2) || (path[0] == "id" && path.Length > 1))
                {
                    throw new PromptTemplateException(LineOf(text, i), $"unknown variable '{{{{{name}}}}}'; use {{{{input}}}}, {{{{input.field}}}}, {{{{expected}}}}, {{{{metadata.key}}}} or {{{{id}}}}", TagAt(text, i, close + 2));
                }

                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), null));
                    literal.Clear();
                }

                segments.Add(new Segment(null, path));
                i = close + 2;
                continue;
            }

            literal.Append(text[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), null));
        }

        return new PromptTemplate(text, segments);
    }

    /// <summary>Renders the template for one case. A variable the case does not have throws <see cref="PromptTemplateException"/>.</summary>
    public string Render(DatasetCase @case)
    {
        var builder = new StringBuilder(Text.Length + 64);
        foreach (var segment in _segments)
        {
            if (segment.Literal is { } literal)
            {
                builder.Append(literal);
                continue;
            }

            builder.Append(Resolve(@case, segment.Path!));
        }

        return builder.ToString();
    }

    private static string Resolve(DatasetCase @case, string[] path)
    {
        JsonElement? current = path[0] switch
        {
            "input" => @case.Input,
            "expected" => @case.Expected,
            "metadata" => @case.Metadata,
            "id" => null,
            _ => null,
        };

        if (path[0] == "id")
        {
            return @case.Id;
        }

        for (var i = 1; i < path.Length; i++)
        {
            if (current is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(path[i], out var next))
            {
                throw new PromptTemplateException(null, $"case '{@case.Id}' has no value for '{{{{{string.Join('.', path)}}}}}'");
            }

            current = next;
        }

        if (current is null)
        {
            throw new PromptTemplateException(null, $"case '{@case.Id}' has no value for '{{{{{string.Join('.', path)}}}}}'");
        }

        return JsonText.ToText(current.Value);
    }

    // The tag as it appears on its first line, so a caller can find it in a source whose line breaks were folded.
    private static string TagAt(string text, int start, int end)
    {
        var tag = text[start..end];
        var newline = tag.IndexOfAny(['\n', ' ']);
        return newline < 0 ? tag : tag[..newline];
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n');

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$")]
    private static partial Regex VariablePattern();

    private sealed record Segment(string? Literal, string[]? Path);
}

/// <summary>A template problem; <see cref="LineOffset"/> is the 0-based line within the template when known.</summary>
public sealed class PromptTemplateException(int? lineOffset, string message, string? tag = null) : Exception(message)
{
    public int? LineOffset { get; } = lineOffset;

    /// <summary>The start of the offending tag as written (up to the first space or line break), when known.</summary>
    public string? Tag { get; } = tag;
}
