using System.Text.RegularExpressions;
using EvalLoop.Core.Experiments;

namespace EvalLoop.Analysis.Signals;

/// <summary>
/// The answers a classification-like task allows, derived from what the run itself shows: the labels its prompt lists
/// and the expected values of its dataset when they look like labels. A task that shows neither is not
/// classification-like, and its failures get no confusion or invalid-label signals.
/// </summary>
public sealed partial class LabelSet
{
    /// <summary>An expected value longer than this, or with more words, is an answer, not a label.</summary>
    public const int MaxLabelLength = 64;

    private const int MaxLabelWords = 4;

    private readonly Dictionary<string, string> _canonical;

    private LabelSet(Dictionary<string, string> canonical, int fromPrompt, int fromExpected)
    {
        _canonical = canonical;
        FromPrompt = fromPrompt;
        FromExpected = fromExpected;
    }

    /// <summary>A task with no label set.</summary>
    public static LabelSet None { get; } = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), 0, 0);

    /// <summary>True when outputs should be one of <see cref="Labels"/>.</summary>
    public bool IsClassification => _canonical.Count >= 2;

    public IReadOnlyCollection<string> Labels => _canonical.Values;

    /// <summary>How many labels the prompt listed.</summary>
    public int FromPrompt { get; }

    /// <summary>How many distinct label-like expected values the dataset has.</summary>
    public int FromExpected { get; }

    /// <summary>
    /// Derives the set from the prompt's listed labels and the dataset's expected values. Expected values count as
    /// labels when nearly all are short single-line strings and they repeat (fewer distinct values than half the cases,
    /// or the prompt lists labels too); free-text answers do not.
    /// </summary>
    public static LabelSet Derive(PromptDefinition? prompt, IEnumerable<string?> expectedValues)
    {
        ArgumentNullException.ThrowIfNull(expectedValues);
        var canonical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var promptLabels = prompt is null ? [] : PromptLabels(prompt);
        foreach (var label in promptLabels)
        {
            canonical.TryAdd(label, label);
        }

        var distinct = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int total = 0, labelLike = 0;
        foreach (var value in expectedValues)
        {
            if (value is null)
            {
                continue;
            }

            total++;
            var trimmed = value.Trim();
            if (LooksLikeLabel(trimmed))
            {
                labelLike++;
                distinct.TryAdd(trimmed, trimmed);
            }
        }

        var expectedAreLabels = total > 0 && labelLike >= 0.95 * total && distinct.Count >= 1
            && (promptLabels.Count >= 2 || distinct.Count <= Math.Max(2, total / 2));
        if (expectedAreLabels)
        {
            foreach (var (key, value) in distinct)
            {
                canonical.TryAdd(key, value);
            }
        }

        return canonical.Count < 2 ? None : new LabelSet(canonical, promptLabels.Count, expectedAreLabels ? distinct.Count : 0);
    }

    /// <summary>The set's own spelling of <paramref name="output"/> when it is an allowed label (ignoring case, surrounding whitespace, quotes and a final period).</summary>
    public bool TryMatch(string? output, out string label)
    {
        label = string.Empty;
        if (!IsClassification || string.IsNullOrWhiteSpace(output))
        {
            return false;
        }

        var trimmed = output.Trim();
        if (_canonical.TryGetValue(trimmed, out var found) || _canonical.TryGetValue(trimmed.Trim('"', '\'', '`', '.', ' '), out found))
        {
            label = found;
            return true;
        }

        return false;
    }

    private static bool LooksLikeLabel(string value) =>
        value.Length is > 0 and <= MaxLabelLength
        && !value.Contains('\n', StringComparison.Ordinal)
        && value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= MaxLabelWords;

    /// <summary>
    /// Label-like list items ("- card_arrival", "* refund: asks for money back") and inline lists ("one of: yes, no,
    /// maybe") in the prompt's templates; a prompt needs at least two to count as listing labels.
    /// </summary>
    internal static List<string> PromptLabels(PromptDefinition prompt)
    {
        var labels = new List<string>();
        foreach (var text in new[] { prompt.System, prompt.User })
        {
            if (text is null)
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                if (ListItem().Match(line) is { Success: true } item)
                {
                    var name = item.Groups["item"].Value.Trim();
                    var separator = name.IndexOfAny([':', '\u2014', '\u2013']);
                    if (separator > 0)
                    {
                        name = name[..separator].Trim();
                    }

                    if (IsToken(name))
                    {
                        labels.Add(name);
                    }
                }
                else if (InlineList().Match(line) is { Success: true } inline)
                {
                    var list = inline.Groups["list"].Value;
                    var end = list.IndexOf(". ", StringComparison.Ordinal);
                    var items = (end >= 0 ? list[..end] : list.TrimEnd('.'))
                        .Split([',', ';', '|', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(i => i.Trim('"', '\'', '`'))
                        .Select(i => i.StartsWith("or ", StringComparison.OrdinalIgnoreCase) ? i[3..].Trim() : i)
                        .ToList();
                    if (items.Count >= 2 && items.All(IsToken))
                    {
                        labels.AddRange(items);
                    }
                }
            }
        }

        // Template tags are not labels ("- {{input}}").
        labels.RemoveAll(l => l.Contains("{{", StringComparison.Ordinal));
        return labels.Count >= 2 ? labels.Distinct(StringComparer.OrdinalIgnoreCase).ToList() : [];

        static bool IsToken(string value) => value.Length is > 0 and <= MaxLabelLength && !value.Any(char.IsWhiteSpace);
    }

    [GeneratedRegex(@"^\s*(?:[-*\u2022+]|\d{1,3}[.)])\s+(?<item>\S.*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\b(?:one\s+of|labels|categories|intents|classes|options|choices)\s*:\s*(?<list>\S.*?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineList();
}
