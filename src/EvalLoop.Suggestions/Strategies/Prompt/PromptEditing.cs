using System.Text;
using System.Text.RegularExpressions;
using EvalLoop.Core.Experiments;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Strategies.Prompt;

/// <summary>
/// Deterministic edits of a prompt's text: few-shot example blocks and label lists. The formats are the plain ones any
/// model reads and the offline model parses: <c>Input: ...</c> / <c>Output: ...</c> blocks under an <c>Examples:</c>
/// line, and <c>- label</c> list items.
/// </summary>
public static partial class PromptEditing
{
    public const string ExamplesHeader = "Examples:";

    /// <summary>A few-shot example: the input as one line and the expected answer.</summary>
    public sealed record Example(string CaseId, string Input, string Output);

    /// <summary>The inputs (normalised with <see cref="TextKey.Normalize"/>) of the <c>Input:</c> lines already in the prompt.</summary>
    public static HashSet<string> ExistingExampleInputs(PromptDefinition prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in new[] { prompt.System, prompt.User })
        {
            foreach (var line in (text ?? string.Empty).Split('\n'))
            {
                var match = InputLine().Match(line);
                if (match.Success)
                {
                    inputs.Add(TextKey.Normalize(match.Groups["value"].Value));
                }
            }
        }

        return inputs;
    }

    /// <summary>
    /// The prompt with <paramref name="examples"/> appended to the system message (created when there is none), under an
    /// <c>Examples:</c> line unless the system message already ends in such a section.
    /// </summary>
    public static PromptDefinition AppendExamples(PromptDefinition prompt, IReadOnlyList<Example> examples)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(examples);
        var system = (prompt.System ?? string.Empty).TrimEnd();
        var text = new StringBuilder(system);
        var hasSection = system.Split('\n').Any(line => line.Trim() == ExamplesHeader);
        if (!hasSection)
        {
            text.Append(system.Length > 0 ? "\n\n" : string.Empty).Append(ExamplesHeader).Append('\n');
        }

        foreach (var example in examples)
        {
            text.Append('\n')
                .Append("Input: ").Append(TextKey.OneLine(example.Input)).Append('\n')
                .Append("Output: ").Append(TextKey.OneLine(example.Output)).Append('\n');
        }

        return prompt with { System = text.ToString() };
    }

    /// <summary>A run of at least two list items ("- x", "* x", "1. x") in a text: its line range and items.</summary>
    public sealed record ListBlock(int FirstLine, int LastLine, IReadOnlyList<string> Items);

    /// <summary>The longest run of list items in <paramref name="text"/>, or null when there is none of two items or more.</summary>
    public static ListBlock? FindLabelList(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var lines = text.Split('\n');
        ListBlock? best = null;
        var start = -1;
        var items = new List<string>();
        for (var i = 0; i <= lines.Length; i++)
        {
            var match = i < lines.Length ? ListItem().Match(lines[i]) : Match.Empty;
            if (match.Success)
            {
                if (start < 0)
                {
                    start = i;
                    items = [];
                }

                items.Add(match.Groups["item"].Value.Trim());
                continue;
            }

            if (start >= 0 && items.Count >= 2 && (best is null || items.Count > best.Items.Count))
            {
                best = new ListBlock(start, i - 1, items);
            }

            start = -1;
        }

        return best;
    }

    /// <summary>Replaces the lines of <paramref name="block"/> in <paramref name="text"/> with one "- label" line per label, keeping the block's indentation and bullet.</summary>
    public static string ReplaceList(string text, ListBlock block, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(labels);
        var lines = text.Split('\n').ToList();
        var first = ListItem().Match(lines[block.FirstLine]);
        var prefix = first.Groups["prefix"].Value;
        var bullet = first.Groups["bullet"].Value is var b && (b.EndsWith('.') || b.EndsWith(')')) ? "-" : first.Groups["bullet"].Value;
        lines.RemoveRange(block.FirstLine, block.LastLine - block.FirstLine + 1);
        lines.InsertRange(block.FirstLine, labels.Select(label => $"{prefix}{bullet} {label}"));
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^\s*(?:input|message|text|query|question)\s*:\s*(?<value>.+?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InputLine();

    [GeneratedRegex(@"^(?<prefix>\s*)(?<bullet>[-*\u2022+]|\d{1,3}[.)])\s+(?<item>\S.*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();
}
